// A real SMTP server and a real HTTP SMS gateway for the end-to-end tests (smtp-server and
// mailparser, from nodemailer): it accepts every mail on 127.0.0.1:<SMTP port>, without TLS
// or a login, and tells what it received as JSON on 127.0.0.1:<HTTP port>/messages; on the
// same HTTP port it is an SMS gateway: `POST /sms` with a JSON body (the gateway settings'
// body template, e.g. {"to":"{{to}}","text":"{{text}}","reference":"{{reference}}"}) answers
// {"code":"0"} and keeps the message, `GET /sms` lists them. The tests read both from there.
// The demo's channels point at `node smtp-sink.mjs 2525 9925`.
//
//   node smtp-sink.mjs <smtp port> <http port>
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const [smtpPort, httpPort] = process.argv.slice(2).map(Number);
if (!smtpPort || !httpPort) {
  console.error('usage: node smtp-sink.mjs <smtp port> <http port>');
  process.exit(2);
}

const messages = [];
const sms = [];

const smtp = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        messages.push({
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          from: mail.from?.text ?? '',
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          html: typeof mail.html === 'string' ? mail.html : '',
          receivedAt: new Date().toISOString(),
        });
        callback();
      })
      .catch(callback);
  },
});
smtp.on('error', (e) => console.error('smtp sink:', e.message));
smtp.listen(smtpPort, '127.0.0.1');

createServer((req, res) => {
  if (req.url === '/messages') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(messages));
  } else if (req.url === '/sms' && req.method === 'POST') {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      let message;
      try {
        message = JSON.parse(body);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: '400', message: 'the body is not JSON' }));
        return;
      }
      sms.push({ ...message, receivedAt: new Date().toISOString() });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: '0', message: 'ok' }));
    });
  } else if (req.url === '/sms') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(sms));
  } else {
    res.writeHead(404);
    res.end();
  }
}).listen(httpPort, '127.0.0.1', () => {
  console.log(`smtp sink on ${smtpPort}, messages on http://127.0.0.1:${httpPort}/messages`);
});
