// The servers the end-to-end tests drive (started by playwright.config.ts), each for one way the app is used.

/** `serve --sandbox`: the app behind its proxy, with the sandbox gateway: the demo as `cargo xtask demo` runs it. */
export const studio = 'http://127.0.0.1:8181';
/** The same, reserved for tests that inject faults or count submissions (they run one at a time). */
export const faultyStudio = 'http://127.0.0.1:8184';
/** The same, for the room's tests (presenter, blind rounds, variations), which count submissions one at a time. */
export const roomStudio = 'http://127.0.0.1:8187';
/** The same, for the consent tests, which count submissions one at a time. */
export const consentStudio = 'http://127.0.0.1:8188';
/** The same with slow stages (a few seconds each), for reloading the page while a job runs. */
export const slowStudio = 'http://127.0.0.1:8185';
/** Slow stages too, for tests that need a job still running a few seconds on (no faults armed, nothing counted). */
export const unhurriedStudio = 'http://127.0.0.1:8189';
/** `serve --sandbox --sync`: a gateway that answers each submission at once with the audio, no request to follow. */
export const syncStudio = 'http://127.0.0.1:8195';
/** `serve --sandbox --access codes`: a person signs in with an access code before anything is sent. */
export const accessStudio = 'http://127.0.0.1:8196';
/** Where that studio's start writes the access code it made (`zonos-server access add`), for the tests to type. */
export const accessCodeFile = '/tmp/zonos-e2e-access-code-8196.txt';
/** A second code there, for bea, whose budget is one take a day. */
export const budgetCodeFile = '/tmp/zonos-e2e-budget-code-8196.txt';
/** And an invite link there, for cara, good for one sign-in (`zonos-server access invite`). */
export const inviteLinkFile = '/tmp/zonos-e2e-invite-8196.txt';
/** And a code for olga, an admin: she reads the spend log in the page. */
export const adminCodeFile = '/tmp/zonos-e2e-admin-code-8196.txt';
/** A studio that signs people in at an OpenID provider (`--access oidc`), and the provider (npm's oidc-provider,
 * the one the server's tests use), named `localhost`: on another site than the studio, as a real provider is. */
export const oidcStudio = 'http://127.0.0.1:8197';
export const oidcProvider = 'http://localhost:8198';
export const oidcSecretFile = '/tmp/zonos-e2e-oidc-secret-8197.txt';
/** `serve` with no key: the app as plain static files, calling a gateway directly. */
export const staticHost = 'http://127.0.0.1:8182';
/** A plain static host (Python's http.server) with the app under `/team/zonos-studio/` (e2e/nested-host.mjs). */
export const nestedHost = 'http://127.0.0.1:8186';
/** `sandbox`: a gateway on another origin, for the static page to call directly. */
export const gateway = 'http://127.0.0.1:8183';

/** A deployment (e2e/topology.mjs): nginx with the app at `/studio/`, two replicas sharing one Redis, a gateway. */
export const topology = {
  nginx: 'http://127.0.0.1:8190',
  replicas: ['http://127.0.0.1:8191', 'http://127.0.0.1:8192'],
  gateway: 'http://127.0.0.1:8193',
  redis: 'redis://127.0.0.1:8194',
  /** And the same behind a second nginx that signs people in first (auth_request, deploy/nginx's variant, asking a
   * sign-in stand-in of the tests' own), in front of two `--access header` replicas on the same Redis and gateway. */
  signedIn: {
    nginx: 'http://127.0.0.1:8170',
    replicas: ['http://127.0.0.1:8171', 'http://127.0.0.1:8172'],
    signInService: 'http://127.0.0.1:8173',
  },
};

export type Stats = {
  submissions_received: number;
  submissions_accepted: number;
  polls_received: number;
  polls_served: number;
  webhooks_delivered: number;
};
