// Proof of delivery: a photo from the camera or a file, and a signature drawn on a canvas.

const MAX_SIDE_PX = 1600;

// A phone photo is often 5-10 MB: scale it down to JPEG before it waits in the queue (the
// server takes at most 10 MB). A file the browser cannot decode is kept as it is.
export async function shrinkPhoto(file) {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE_PX / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size < 1_500_000) return file;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return await new Promise((ok) => canvas.toBlob((b) => ok(b || file), "image/jpeg", 0.82));
  } catch {
    return file;
  }
}

// A signature pad on ``canvas``: pointer (finger, pen, mouse) draws; ``onChange`` is told
// whether anything is drawn.
export class SignaturePad {
  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.onChange = onChange;
    this.drawn = false;
    this.last = null;
    canvas.addEventListener("pointerdown", (e) => this.start(e));
    canvas.addEventListener("pointermove", (e) => this.move(e));
    for (const t of ["pointerup", "pointerleave", "pointercancel"]) {
      canvas.addEventListener(t, () => { this.last = null; });
    }
    this.clear();
  }

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return [
      ((e.clientX - r.left) * this.canvas.width) / r.width,
      ((e.clientY - r.top) * this.canvas.height) / r.height,
    ];
  }

  start(e) {
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    this.last = this.point(e);
  }

  move(e) {
    if (!this.last) return;
    const p = this.point(e);
    const c = this.ctx;
    c.strokeStyle = "#0b1f4d";
    c.lineWidth = 4;
    c.lineCap = "round";
    c.beginPath();
    c.moveTo(...this.last);
    c.lineTo(...p);
    c.stroke();
    this.last = p;
    if (!this.drawn) {
      this.drawn = true;
      this.onChange(true);
    }
  }

  clear() {
    // white, not transparent: the stored PNG reads the same in any viewer
    this.ctx.fillStyle = "#fff";
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.drawn = false;
    this.onChange(false);
  }

  blob() {
    if (!this.drawn) return Promise.resolve(null);
    return new Promise((ok) => this.canvas.toBlob(ok, "image/png"));
  }
}
