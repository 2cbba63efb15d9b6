// The listener's page (page.rs): answers are sent as they are given, and kept on this phone so that a reload shows
// them again. A listener is a random id drawn once and kept here; the review counts each once a take. In a blind
// round, the listener guesses which of A and B is real, then asks for the reveal: the server says, and the guess
// stands from then on.
(() => {
  const main = document.querySelector('main');
  const token = main.dataset.token;
  const stored = (key, fallback) => {
    try {
      return JSON.parse(localStorage.getItem(key)) ?? fallback;
    } catch {
      return fallback;
    }
  };
  const keep = (key, value) => {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // A private mode without storage: answers are still sent.
    }
  };
  let listener = stored('zonos-listener', null);
  if (!/^[0-9a-f]{32}$/.test(listener ?? '')) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    listener = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
    keep('zonos-listener', listener);
  }
  const answers = stored(`zonos-review:${token}`, {});
  const ended = () => {
    for (const take of document.querySelectorAll('.take')) take.remove();
    document.querySelector('.intro').hidden = true;
    document.querySelector('.ended').hidden = false;
  };
  for (const take of document.querySelectorAll('.take')) {
    const item = Number(take.dataset.item);
    const said = take.querySelector('.saved');
    const comment = take.querySelector('textarea');
    const answer = answers[item] ?? {};
    if (answer.stars) take.querySelector(`input[name="stars-${item}"][value="${answer.stars}"]`).checked = true;
    comment.value = answer.comment ?? '';
    const guesses = take.querySelectorAll(`input[name="guess-${item}"]`);
    const reveal = take.querySelector('.reveal');
    const told = take.querySelector('.answer');
    const revealed = (real) => {
      told.textContent = `${real} was the real voice: you guessed ${answer.guess === real ? 'right' : 'wrong'}.`;
      told.hidden = false;
      reveal.hidden = true;
      for (const guess of guesses) guess.disabled = true;
    };
    for (const guess of guesses) guess.checked = guess.value === answer.guess;
    if (reveal) reveal.disabled = !answer.guess;
    if (answer.real) revealed(answer.real);
    const remember = () => {
      answers[item] = answer;
      keep(`zonos-review:${token}`, answers);
    };
    // `keepalive`: an answer sent as the page goes away (closed, reloaded) still arrives.
    const send = async (keepalive = false, asked = false) => {
      remember();
      said.textContent = 'Sending…';
      try {
        const { stars = null, comment: words = '', guess = null } = answer;
        const response = await fetch(`${location.pathname}/answers`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ listener, item, stars, comment: words || null, guess, reveal: asked }),
          keepalive,
        });
        if (response.status === 404) return ended();
        if (response.ok) {
          said.textContent = 'Saved.';
          const { real } = response.status === 200 ? await response.json() : {};
          if (real) {
            answer.real = real;
            remember();
            revealed(real);
          }
          return;
        }
        const body = await response.json().catch(() => ({}));
        said.textContent = body.message ? `Not saved: ${body.message}.` : `Not saved (HTTP ${response.status}).`;
      } catch {
        said.textContent = 'Not saved: the network is down. It is sent with your next answer.';
      }
    };
    for (const guess of guesses) {
      guess.addEventListener('change', () => {
        answer.guess = guess.value;
        reveal.disabled = false;
        send();
      });
    }
    reveal?.addEventListener('click', () => send(false, true));
    for (const star of take.querySelectorAll(`input[name="stars-${item}"]`)) {
      star.addEventListener('change', () => {
        answer.stars = Number(star.value);
        send();
      });
    }
    let pause = null;
    comment.addEventListener('input', () => {
      answer.comment = comment.value;
      remember();
      // Sent once the typing pauses: until then, it is not saved.
      said.textContent = 'Saving…';
      clearTimeout(pause);
      pause = setTimeout(() => {
        pause = null;
        send();
      }, 1000);
    });
    addEventListener('pagehide', () => {
      if (pause === null) return;
      clearTimeout(pause);
      pause = null;
      send(true);
    });
  }
})();
