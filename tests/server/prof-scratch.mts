import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
const html = '<p>' + 'hello world '.repeat(800) + '</p>';
const mail = () => ({
  from: { name: 'A', address: 'a@x.example' },
  to: 'b@y.example',
  subject: 'Hi there',
  html,
  text: 'hello '.repeat(500),
  textEncoding: 'base64' as const,
  messageId: '<1@x>',
  date: new Date(),
  list: { unsubscribe: 'https://x/u/abc' },
  headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
});
const t1 = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
for (let k = 0; k < 3; k++) {
  let t = performance.now();
  for (let i = 0; i < 300; i++) await t1.sendMail(mail());
  console.log('stream', ((performance.now() - t) / 300).toFixed(2), 'ms');
  t = performance.now();
  for (let i = 0; i < 300; i++) await new MailComposer(mail()).compile().build();
  console.log('composer', ((performance.now() - t) / 300).toFixed(2), 'ms');
}
