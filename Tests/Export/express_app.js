// The conformance routes (Tests/CORSConformanceTests/ConformanceRoutes.swift) in Express, behind
// the `cors export --to express` module given as the first argument.
// Run: NODE_PATH=/usr/share/nodejs node --max-http-header-size=131072 express_app.js cors-policy.js PORT
'use strict';
const express = require('express');
const installCors = require(require('path').resolve(process.argv[2]));

const app = express();
installCors(app);
app.get('/me', (req, res) => res.set('X-Request-Id', '42').json({ user: 'alice' }));
app.put('/me', (req, res) => res.json({ user: 'alice' }));
app.delete('/me', (req, res) => res.status(204).end());
app.get('/vary', (req, res) => res.set('Vary', 'Accept-Encoding').json({}));
app.get('/own-cors', (req, res) => res.set('Access-Control-Allow-Origin', '*').json({}));
app.get('/boom', () => { throw new Error('the database is down'); });
app.get('/unauthorized', (req, res) => res.status(401).set('WWW-Authenticate', 'Bearer').json({}));
app.options('/options-route', (req, res) => res.set('X-Handled-By', 'app').status(200).end());
// Errors are logged by Express's final handler; keep the test output quiet.
app.use((err, req, res, next) => res.status(500).json({ error: 'internal' }));
app.listen(Number(process.argv[3]), '127.0.0.1');
