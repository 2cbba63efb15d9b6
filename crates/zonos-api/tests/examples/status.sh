curl -H "Ocp-Apim-Subscription-Key: YOUR_API_KEY" \
  "https://gateway.pixazo.ai/v2/requests/status/zonos-2_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
