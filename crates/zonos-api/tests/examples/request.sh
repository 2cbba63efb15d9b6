curl -X POST "https://gateway.pixazo.ai/zonos-2/v1/zonos-2-request" \
  -H "Content-Type: application/json" \
  -H "Cache-Control: no-cache" \
  -H "Ocp-Apim-Subscription-Key: YOUR_API_KEY" \
  --data-raw '{
    "reference_audio_url": "https://pub-582b7213209642b9b995c96c95a30381.r2.dev/Reference.wav",
    "text": "Hello, this is a sample of my cloned voice speaking naturally.",
    "language": "en_us",
    "accurate_mode": true,
    "clean_speaker_background": false,
    "temperature": 1.15,
    "top_p": 0,
    "min_p": 0.18,
    "top_k": 106
  }'
