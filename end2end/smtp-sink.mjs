// A real SMTP server for the end-to-end tests (smtp-server and mailparser, from nodemailer):
// it accepts every message on 127.0.0.1:<SMTP port>, without TLS or a login, and tells what
// it received as JSON on 127.0.0.1:<HTTP port>/messages (the tests read it from there).
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
  } else {
    res.writeHead(404);
    res.end();
  }
}).listen(httpPort, '127.0.0.1', () => {
  console.log(`smtp sink on ${smtpPort}, messages on http://127.0.0.1:${httpPort}/messages`);
});
