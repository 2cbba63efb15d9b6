// An OpenID Connect provider for the tests of `--access oidc`, on loopback: npm's oidc-provider (a certified
// implementation), with its development sign-in pages (any login, any password), one confidential client whose
// callback is given, PKCE required, and e-mail claims in the ID token. Never a deployment's provider.
//
//   node provider.mjs PORT CALLBACK_URL [--host NAME] [--id-token-ttl SECONDS] [--token-delay-ms MS]
//
// It listens on 127.0.0.1, named by --host in its issuer URL (`localhost` puts it on another site than a studio
// at 127.0.0.1, as a real provider is). The last two make an ID token that has expired when it arrives: issued
// for a second, answered late.
import Provider from 'oidc-provider';

const [port, callback, ...options] = process.argv.slice(2);
const option = (name, fallback) => {
  const at = options.indexOf(name);
  return at === -1 ? fallback : options[at + 1];
};
const host = option('--host', '127.0.0.1');
const idTokenTtl = Number(option('--id-token-ttl', 3600));
const tokenDelay = Number(option('--token-delay-ms', 0));

const CLIENT_ID = 'zonos-studio';

const provider = new Provider(`http://${host}:${port}`, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: 'a-secret-of-the-tests-own',
      redirect_uris: [callback],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  // In the ID token, as most providers send them (oidc-provider keeps them for userinfo by default).
  conformIdTokenClaims: false,
  // A login named `unverified…` has an e-mail address its provider has not verified.
  findAccount: (ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, email: `${id}@example.test`, email_verified: !id.startsWith('unverified') }),
  }),
  ttl: { IdToken: idTokenTtl, AccessToken: 3600, AuthorizationCode: 60, Grant: 3600, Interaction: 3600, Session: 3600 },
  cookies: { keys: ['keys-of-the-tests-own'] },
});

if (tokenDelay > 0) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token') await new Promise((resolve) => setTimeout(resolve, tokenDelay));
  });
}

provider.listen(Number(port), '127.0.0.1', () => console.log(`provider listening on ${port}`));
