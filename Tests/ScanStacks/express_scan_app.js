// Express with the `cors` package, set up the ways people really set it up, for `cors scan`'s
// real-stack tests (Tests/CORSCommandLineTests/ScanRealStackTests.swift).
// Run: NODE_PATH=/usr/share/nodejs node express_scan_app.js MODE PORT
'use strict';
const express = require('express');
const cors = require('cors');

const [mode, port] = [process.argv[2], Number(process.argv[3])];
const TRUSTED = 'https://app.example.test';
const app = express();
const me = (req, res) => res.set('Set-Cookie', 'session=1; Path=/; SameSite=None; Secure; HttpOnly').json({ user: 'alice' });

switch (mode) {
  // The one-liner that trusts every origin, with cookies.
  case 'reflect': app.use(cors({ origin: true, credentials: true })); break;
  // The frontend's URL pasted with its trailing slash.
  case 'trailing-slash': app.use(cors({ origin: TRUSTED + '/', credentials: true })); break;
  // `cors()` on the GET route only: Express answers OPTIONS itself, and 404s have no CORS.
  case 'per-route': app.get('/api/me', cors({ origin: [TRUSTED], credentials: true }), me); break;
  // A regex that allows "any port" for local development, shipped.
  case 'any-port': app.use(cors({ origin: /^https:\/\/app\.example\.test(:\d+)?$/, credentials: true })); break;
  // Preview deployments trusted by suffix.
  case 'vercel': app.use(cors({ origin: [TRUSTED, /\.vercel\.app$/], credentials: true })); break;
  // The textbook setup: an allow-list, for the whole app.
  case 'correct': app.use(cors({ origin: [TRUSTED], credentials: true })); break;
  default: throw new Error('unknown mode ' + mode);
}
app.get('/api/me', me);
app.put('/api/me', (req, res) => res.json({ user: 'alice' }));
app.listen(port, '127.0.0.1');
