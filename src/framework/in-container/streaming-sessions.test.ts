import { expect } from 'chai';
import { wholeHttpResponse } from './streaming-sessions.js';

describe('wholeHttpResponse', function () {
  const head = 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\n';
  it('holds once the body has as many bytes as Content-Length says', function () {
    expect(wholeHttpResponse(Buffer.from(head + 'hello'))).to.equal(true);
    expect(wholeHttpResponse(Buffer.from(head + 'hell'))).to.equal(false);
    expect(wholeHttpResponse(Buffer.from(head.slice(0, 30)))).to.equal(false);
  });
  it('does not hold without a Content-Length (the end of the connection decides)', function () {
    expect(wholeHttpResponse(Buffer.from('HTTP/1.0 200 OK\r\nX-Content-Length: 1\r\n\r\nhello'))).to.equal(false);
  });
});
