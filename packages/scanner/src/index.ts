export { QrScanner, type QrScannerProps } from "./QrScanner.js";
export { qrDetector, type QrDetector } from "./detector.js";
export * from "./verify.js";
