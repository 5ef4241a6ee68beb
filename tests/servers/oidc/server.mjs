// node-oidc-provider (npm oidc-provider@8: version 9 needs a newer Node.js than Debian
// bookworm's 18) over HTTPS on 127.0.0.1, for git-credential-patrol's OAuth tests: the
// device flow and refresh-token grants for one static public client, RFC 7009 revocation,
// discovery at /.well-known/openid-configuration, and a test-only route that approves or
// denies a user code as a person in the browser would.
//
//   node server.mjs CERT KEY
// Environment: OIDC_CLIENT_ID (default patrol-test), OIDC_DEVICE_TTL (seconds a device code
// lives, default 600), OIDC_ACCESS_TTL (seconds an access token lives, default 3600).
// Prints "listening <port>" once it serves. POST /test/approve?user_code=...&account=...
// and POST /test/deny?user_code=... answer 204 (404 for an unknown code).
import fs from 'node:fs';
import https from 'node:https';
import Provider from 'oidc-provider';

const [certFile, keyFile] = process.argv.slice(2);
const clientId = process.env.OIDC_CLIENT_ID || 'patrol-test';
const deviceTtl = Number(process.env.OIDC_DEVICE_TTL || 600);
const accessTtl = Number(process.env.OIDC_ACCESS_TTL || 3600);

const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) });
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const provider = new Provider(`https://127.0.0.1:${port}`, {
    clients: [{
      client_id: clientId,
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    }],
    scopes: ['openid', 'offline_access', 'read_repository', 'write_repository'],
    features: {
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
      devInteractions: { enabled: false },
    },
    ttl: {
      DeviceCode: deviceTtl,
      AccessToken: accessTtl,
      RefreshToken: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    rotateRefreshToken: true,
    findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  });

  const normalize = (code) => String(code || '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  const findCode = async (userCode) => {
    const raw = String(userCode || '');
    return (await provider.DeviceCode.findByUserCode(normalize(raw), { ignoreExpiration: true }))
      || (await provider.DeviceCode.findByUserCode(raw, { ignoreExpiration: true }));
  };

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const url = new URL(req.url, `https://127.0.0.1:${port}`);
    if (req.method !== 'POST' || !url.pathname.startsWith('/test/')) {
      callback(req, res);
      return;
    }
    try {
      const code = await findCode(url.searchParams.get('user_code'));
      if (!code) {
        res.writeHead(404).end();
        return;
      }
      if (url.pathname === '/test/deny') {
        code.error = 'access_denied';
        code.errorDescription = 'End-User aborted interaction';
      } else {
        const accountId = url.searchParams.get('account') || 'alice';
        // What the person consents to: the scopes the device asked for (the provider's own
        // interaction would set code.scope at its end).
        const scope = code.scope || (code.params && code.params.scope) || 'openid offline_access';
        const grant = new provider.Grant({ accountId, clientId: code.clientId });
        grant.addOIDCScope(scope);
        code.scope = scope;
        code.accountId = accountId;
        code.grantId = await grant.save();
      }
      await code.save();
      res.writeHead(204).end();
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  process.stdout.write(`listening ${port}\n`);
});
