// A real OpenID provider for doorman's interop tests: oidc-provider (a
// certified implementation) on 127.0.0.1 with its built-in login and consent
// pages, PKCE required, and two confidential clients, one authenticating at
// the token endpoint with client_secret_basic, one with client_secret_post.
//
//   node op.mjs [PORT] [BASIC_REDIRECT_URI] [POST_REDIRECT_URI]
//
// Each argument may come from the environment instead: OP_PORT (default 0,
// any free port), OP_BASIC_REDIRECT_URI, OP_POST_REDIRECT_URI. The first line
// on stdout is the issuer URL; the provider runs until it is killed.
//
// Clients: `interop-basic` / `interop-basic-secret` and `interop-post` /
// `interop-post-secret`. oidc-provider accepts the secret either way from a
// client registered for either method; here, as at providers that enforce
// the registered method (Authelia, Ory Hydra), a client must use its own. Any
// login and password sign in; the account's subject is the login, its email
// the login when it holds an `@` (else login@interop.example).

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const [portArg, basicArg, postArg] = process.argv.slice(2);
const port = Number(portArg ?? process.env.OP_PORT ?? 0);
const basicRedirect = basicArg ?? process.env.OP_BASIC_REDIRECT_URI;
const postRedirect = postArg ?? process.env.OP_POST_REDIRECT_URI;
if (!Number.isInteger(port) || !basicRedirect || !postRedirect) {
  console.error('usage: node op.mjs PORT BASIC_REDIRECT_URI POST_REDIRECT_URI');
  process.exit(2);
}

/** A fresh RS256 signing key for this run. */
function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'interop-1', use: 'sig', alg: 'RS256' };
}

/** The account behind any login typed into the login page. */
function account(login) {
  const email = login.includes('@') ? login : `${login}@interop.example`;
  const user = email.split('@')[0];
  return {
    accountId: login,
    async claims() {
      return {
        sub: login,
        email,
        email_verified: true,
        name: `Interop ${user}`,
        preferred_username: user,
      };
    },
  };
}

const configuration = {
  clients: [
    {
      client_id: 'interop-basic',
      client_secret: 'interop-basic-secret',
      redirect_uris: [basicRedirect],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      client_id: 'interop-post',
      client_secret: 'interop-post-secret',
      redirect_uris: [postRedirect],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  scopes: ['openid', 'email', 'profile'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  findAccount: async (_ctx, id) => account(id),
  features: { devInteractions: { enabled: true } },
  // The library requires PKCE for public clients only; these are confidential.
  pkce: { required: () => true },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  jwks: { keys: [signingKey()] },
};

/** Turns a token response into invalid_client when the client authenticated
 * with a method other than the one it is registered for. */
async function registeredAuthMethodOnly(ctx, next) {
  await next();
  const client = ctx.oidc?.client;
  if (ctx.path !== '/token' || !client) {
    return;
  }
  const used = ctx.get('authorization') ? 'client_secret_basic' : 'client_secret_post';
  if (client.clientAuthMethod !== used) {
    ctx.status = 401;
    ctx.body = {
      error: 'invalid_client',
      error_description: `the client is registered for ${client.clientAuthMethod}, not ${used}`,
    };
  }
}

const server = createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  provider.use(registeredAuthMethodOnly);
  server.on('request', provider.callback());
  console.log(issuer);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(0));
}
