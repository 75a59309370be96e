import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkFile, MAX_FILE_BYTES } from "./files.ts";

const pdf = (size: number) => {
  const b = new Uint8Array(size);
  b.set([0x25, 0x50, 0x44, 0x46]);
  return b;
};

describe("files handed over (attachment): checked on their bytes", () => {
  test("10 MB exactly passes, one byte more is refused", () => {
    assert.deepEqual(checkFile({ filename: "a.pdf", contentType: "application/pdf", bytes: pdf(MAX_FILE_BYTES) }, "scan"), []);
    const [v] = checkFile({ filename: "a.pdf", contentType: "application/pdf", bytes: pdf(MAX_FILE_BYTES + 1) }, "scan");
    assert.equal(v.field, "scan");
    assert.match(v.message, /dépasse 10 Mo/);
  });

  test("a file claiming to be a PDF whose bytes are not one is refused; an empty file too", () => {
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    assert.match(checkFile({ filename: "a.pdf", contentType: "application/pdf", bytes: html }, "scan")[0].message, /PDF, un JPEG ou un PNG/);
    assert.match(checkFile({ filename: "a.png", contentType: "image/png", bytes: pdf(10) }, "scan")[0].message, /PDF, un JPEG ou un PNG/);
    assert.match(checkFile({ filename: "a.pdf", contentType: "application/pdf", bytes: new Uint8Array() }, "scan")[0].message, /vide/);
  });

  test("the name's extension must agree with the type its bytes prove: .pdf, .PDF and no extension pass; .exe, .html, .png on a PDF are refused", () => {
    for (const filename of ["scan.pdf", "SCAN.PDF", "feuille du 3 mars", "a.b.pdf"]) {
      assert.deepEqual(checkFile({ filename, contentType: "application/pdf", bytes: pdf(10) }, "scan"), [], filename);
    }
    for (const filename of ["scan.exe", "scan.html", "scan.png", "scan.pdf.svg"]) {
      const [v] = checkFile({ filename, contentType: "application/pdf", bytes: pdf(10) }, "scan");
      assert.match(v?.message ?? "", /ne correspond pas à son contenu/, filename);
    }
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
    assert.deepEqual(checkFile({ filename: "photo.JPEG", contentType: "image/jpeg", bytes: jpeg }, "scan"), []);
    assert.match(checkFile({ filename: "photo.png", contentType: "image/jpeg", bytes: jpeg }, "scan")[0].message, /\.jpg ou \.jpeg/);
  });
});
