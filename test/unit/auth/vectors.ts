/**
 * @module The signature test vectors of test/fixtures/payloads/README.md.
 */
export const hutomaVector = {
  secret: "0123456789abcdef0123456789abcdef01234567",
  body: '{"intentName":"colour","chatResult":{"query":"blue"}}',
  header: "sha256=f849db60c068f473f3da1e98c7743f6c9e13064ab922bcb624fbc04a740eb3dc",
};

export const clustaarVector = {
  secret: "test",
  body: "{}",
  header: "sha1=fc2bdea0e6a9e0dc333dece7568b5c3337a92342",
};

export const standardWebhooksVector = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: "1614265330",
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
