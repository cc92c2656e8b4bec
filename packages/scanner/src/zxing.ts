/**
 * The BarcodeDetector ponyfill (ZXing compiled to WebAssembly), for
 * browsers without the standard one. Its .wasm file is bundled with the
 * app (Vite emits it as an asset) and loaded from the app's own origin,
 * never from a CDN, so scanning works offline once the app is cached.
 */
import { BarcodeDetector, prepareZXingModule } from "barcode-detector/ponyfill";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

/** Where the ZXing .wasm file is served from (the app's own origin). */
export const zxingWasmUrl: string = wasmUrl;

/** A QR-code BarcodeDetector backed by the bundled ZXing .wasm. */
export function createPonyfillDetector(): BarcodeDetector {
  prepareZXingModule({
    overrides: {
      locateFile: (path: string, prefix: string) =>
        path.endsWith(".wasm") ? new URL(wasmUrl, globalThis.location.href).href : prefix + path,
    },
    fireImmediately: false,
  });
  return new BarcodeDetector({ formats: ["qr_code"] });
}
