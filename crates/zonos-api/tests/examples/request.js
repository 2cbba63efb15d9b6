const url = "https://gateway.pixazo.ai/zonos-2/v1/zonos-2-request";
const headers = {
  "Content-Type": "application/json",
  "Cache-Control": "no-cache",
  "Ocp-Apim-Subscription-Key": "YOUR_API_KEY"
};
const data = {
  "reference_audio_url": "https://pub-582b7213209642b9b995c96c95a30381.r2.dev/Reference.wav",
  "text": "Hello, this is a sample of my cloned voice speaking naturally.",
  "language": "en_us",
  "accurate_mode": true,
  "clean_speaker_background": false,
  "temperature": 1.15,
  "top_p": 0,
  "min_p": 0.18,
  "top_k": 106
};

fetch(url, {
  method: "POST",
  headers: headers,
  body: JSON.stringify(data)
})
.then(response => response.json())
.then(data => console.log(data));
