/** A QR code reader: the browser's BarcodeDetector when it reads QR codes, else the ZXing ponyfill. */

export interface QrDetector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}

interface NativeDetectorClass {
  new (options: { formats: string[] }): QrDetector;
  getSupportedFormats(): Promise<string[]>;
}

let cached: Promise<QrDetector> | null = null;

async function create(): Promise<QrDetector> {
  const Native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (Native) {
    try {
      if ((await Native.getSupportedFormats()).includes("qr_code")) return new Native({ formats: ["qr_code"] });
    } catch {
      // fall through to the ponyfill
    }
  }
  const { createPonyfillDetector } = await import("./zxing.js");
  return createPonyfillDetector();
}

/** The page's QR detector (made once). */
export function qrDetector(): Promise<QrDetector> {
  cached ??= create().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}
