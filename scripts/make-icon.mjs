#!/usr/bin/env node
// Draws the VS Code extension's icon (apps/vscode/images/icon.png, 256x256) with Node built-ins only: shapes as
// signed distances, 4x4 supersampling for smooth edges, and a PNG written by hand (zlib for IDAT, CRC-32 below).
// A person on a blue tile with a green "updated" badge. Run it again after changing the drawing:
//   node scripts/make-icon.mjs [out.png]
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const SIZE = 256;
const S = SIZE / 128; // the drawing is specified on a 128-unit grid
const out =
  process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "apps", "vscode", "images", "icon.png");

// --- shapes (distance < 0 means inside), in 128-unit coordinates -----------------------------------------------
const roundedRect = (x, y, left, top, right, bottom, r) => {
  const cx = Math.max(left + r - x, 0, x - (right - r));
  const cy = Math.max(top + r - y, 0, y - (bottom - r));
  const outside = Math.hypot(cx, cy) - r;
  const inside = Math.min(0, Math.max(left - x, x - right, top - y, y - bottom));
  return cx > 0 || cy > 0 ? outside : inside;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const ellipse = (x, y, cx, cy, rx, ry) => (Math.hypot((x - cx) / rx, (y - cy) / ry) - 1) * Math.min(rx, ry);
const segment = (x, y, ax, ay, bx, by) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
};

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const TOP = [54, 120, 246];
const BOTTOM = [28, 72, 196];
const WHITE = [255, 255, 255];
const GREEN = [22, 176, 108];

/** The colour (RGBA, 0-255) at one sample point, painting back to front. */
function sample(x, y) {
  let color = [0, 0, 0, 0];
  const paint = (rgb, inside) => {
    if (inside) color = [...rgb, 255];
  };
  paint(mix(TOP, BOTTOM, y / 128), roundedRect(x, y, 4, 4, 124, 124, 26) < 0);
  // The person: a head and shoulders (the lower half of an ellipse, cut flat at the tile's inner edge).
  paint(WHITE, circle(x, y, 56, 46, 19) < 0);
  paint(WHITE, ellipse(x, y, 56, 104, 36, 32) < 0 && y < 104);
  // The badge: a white ring, a green disc, a white check mark.
  paint(WHITE, circle(x, y, 92, 90, 24) < 0);
  paint(GREEN, circle(x, y, 92, 90, 19) < 0);
  const check = Math.min(segment(x, y, 82, 91, 89, 98), segment(x, y, 89, 98, 103, 82));
  paint(WHITE, check < 3.6);
  return color;
}

// --- rasterise -------------------------------------------------------------------------------------------------------
const N = 4; // samples per axis
const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    let [r, g, b, a] = [0, 0, 0, 0];
    for (let sy = 0; sy < N; sy++) {
      for (let sx = 0; sx < N; sx++) {
        const c = sample((px + (sx + 0.5) / N) / S, (py + (sy + 0.5) / N) / S);
        // Premultiplied, so transparent samples do not darken the edges.
        r += (c[0] * c[3]) / 255;
        g += (c[1] * c[3]) / 255;
        b += (c[2] * c[3]) / 255;
        a += c[3];
      }
    }
    const i = (py * SIZE + px) * 4;
    const alpha = a / (N * N);
    rgba[i] = alpha ? Math.round((r / (N * N)) * (255 / alpha)) : 0;
    rgba[i + 1] = alpha ? Math.round((g / (N * N)) * (255 / alpha)) : 0;
    rgba[i + 2] = alpha ? Math.round((b / (N * N)) * (255 / alpha)) : 0;
    rgba[i + 3] = Math.round(alpha);
  }
}

// --- PNG -------------------------------------------------------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  rows[y * (SIZE * 4 + 1)] = 0; // filter: none
  rgba.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
}
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk("IHDR", header),
  chunk("IDAT", deflateSync(rows, { level: 9 })),
  chunk("IEND", Buffer.alloc(0)),
]);
writeFileSync(out, png);
console.log(`wrote ${out} (${SIZE}x${SIZE}, ${(png.length / 1024).toFixed(1)} KB)`);
