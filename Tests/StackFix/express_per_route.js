// Express with `cors` mounted on each route, not on OPTIONS: Express answers the preflight itself
// (200, `Allow: GET,HEAD,PUT`, no CORS fields). StackFixTests puts `cors check`'s first fix on
// the marked line.
// Run: NODE_PATH=/usr/share/nodejs node express_per_route.js PORT
'use strict';
const express = require('express');
const cors = require('cors');

const app = express();
const corsOptions = { origin: ['http://localhost:5173'], credentials: true };
// cors check's fix goes here
app.get('/me', cors(corsOptions), (req, res) => res.json({ user: 'alice' }));
app.put('/me', cors(corsOptions), (req, res) => res.json({ user: 'alice' }));
app.listen(Number(process.argv[2]), '127.0.0.1');
