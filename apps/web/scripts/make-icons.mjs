// Draws the app icon (a white speech bubble on Parley green) as PNGs at the sizes the manifest
// lists. Run once when the icon changes: `node scripts/make-icons.mjs`; the PNGs are committed.
// The bubble stays inside the central 80% circle, so the same image works as a maskable icon.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const green = [11, 110, 79];
const white = [255, 255, 255];

function pixel(x, y) {
  // Coordinates in [0, 1]. An ellipse for the bubble, a triangle for its tail.
  const inBubble = ((x - 0.5) / 0.3) ** 2 + ((y - 0.47) / 0.24) ** 2 <= 1;
  const inTail = y >= 0.6 && y <= 0.76 && x >= 0.3 && x <= 0.42 && x - 0.3 <= (0.76 - y) * 0.75;
  const inDot = [0.38, 0.5, 0.62].some((cx) => (x - cx) ** 2 + (y - 0.47) ** 2 <= 0.035 ** 2);
  if (inDot) return green;
  return inBubble || inTail ? white : green;
}

function png(size) {
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b] = pixel((x + 0.5) / size, (y + 0.5) / size);
      const at = y * (size * 3 + 1) + 1 + x * 3;
      raw[at] = r;
      raw[at + 1] = g;
      raw[at + 2] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

for (const size of [192, 512]) {
  writeFileSync(new URL(`../public/icons/icon-${size}.png`, import.meta.url), png(size));
}
