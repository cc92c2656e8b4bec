import { useEffect, useEffectEvent, useId, useRef, useState, type FormEvent } from "react";
import { qrDetector } from "./detector.js";

export interface QrScannerProps {
  /** Called with a code's text, verbatim (base45 text may begin or end with a space). */
  onCode: (text: string) => void;
  /** Offer a torch toggle when the camera has a torch (default true). */
  torch?: boolean;
  /** Keep the camera on but report nothing (e.g. while a result is shown). */
  paused?: boolean;
  /** Show the manual code entry form (default true). */
  manualEntry?: boolean;
  /**
   * A code held in front of the camera is reported once; it is reported
   * again only after it has been out of view this long (default 1500 ms).
   */
  repeatAfterMs?: number;
  /** Accessible name of the camera view (default "Camera: hold the ticket's QR code in the frame"). */
  label?: string;
}

type Camera = { state: "starting" } | { state: "on" } | { state: "off"; message: string };

interface TorchCapabilities extends MediaTrackCapabilities {
  torch?: boolean;
}

const SCAN_INTERVAL_MS = 150;

/**
 * The door's QR scanner: the rear camera with the standard BarcodeDetector
 * (or the bundled ZXing ponyfill), a torch toggle where the camera has one,
 * and manual code entry for when the camera cannot read a code.
 */
export function QrScanner({
  onCode,
  torch = true,
  paused = false,
  manualEntry = true,
  repeatAfterMs = 1500,
  label = "Camera: hold the ticket's QR code in the frame",
}: QrScannerProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const trackRef = useRef<MediaStreamTrack | null>(null);
  const [camera, setCamera] = useState<Camera>({ state: "starting" });
  const [torchAvailable, setTorchAvailable] = useState(false);
  const [torchOn, setTorchOn] = useState(false);
  const [manual, setManual] = useState("");
  const manualId = useId();
  const last = useRef<{ text: string; seenAt: number } | null>(null);

  const onDetected = useEffectEvent((text: string) => {
    const now = performance.now();
    const prev = last.current;
    last.current = { text, seenAt: now };
    if (paused) return;
    if (prev && prev.text === text && now - prev.seenAt < repeatAfterMs) return;
    onCode(text);
  });

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const scanLoop = async () => {
      if (stopped) return;
      const video = videoRef.current;
      try {
        if (video && video.readyState >= 2 && video.videoWidth > 0) {
          const detector = await qrDetector();
          const codes = await detector.detect(video);
          const first = codes[0];
          if (!stopped && first && first.rawValue !== "") onDetected(first.rawValue);
        }
      } catch {
        // a frame that could not be read; try the next one
      }
      if (!stopped) timer = setTimeout(() => void scanLoop(), SCAN_INTERVAL_MS);
    };

    const start = async () => {
      if (!globalThis.navigator?.mediaDevices?.getUserMedia) {
        setCamera({ state: "off", message: "No camera available here. Type the code below." });
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          audio: false,
          video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
        });
      } catch (e) {
        const denied = e instanceof DOMException && e.name === "NotAllowedError";
        setCamera({
          state: "off",
          message: denied
            ? "Camera access was refused. Allow the camera, or type the code below."
            : "The camera could not be started. Type the code below.",
        });
        return;
      }
      if (stopped) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      const track = stream.getVideoTracks()[0] ?? null;
      trackRef.current = track;
      const caps = (track?.getCapabilities?.() ?? {}) as TorchCapabilities;
      setTorchAvailable(caps.torch === true);
      const video = videoRef.current;
      if (video) {
        video.srcObject = stream;
        await video.play().catch(() => undefined);
      }
      setCamera({ state: "on" });
      void qrDetector().catch(() => undefined);
      void scanLoop();
    };

    void start();
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
      trackRef.current = null;
    };
  }, []);

  const toggleTorch = async () => {
    const track = trackRef.current;
    if (!track) return;
    const next = !torchOn;
    try {
      await track.applyConstraints({ advanced: [{ torch: next } as MediaTrackConstraintSet] });
      setTorchOn(next);
    } catch {
      setTorchAvailable(false);
    }
  };

  const submitManual = (e: FormEvent) => {
    e.preventDefault();
    if (manual.trim() === "") return;
    const text = manual;
    setManual("");
    onCode(text);
  };

  return (
    <div className="sellout-scanner">
      <div className="sellout-scanner__view">
        <video
          ref={videoRef}
          className="sellout-scanner__video"
          aria-label={label}
          muted
          playsInline
          autoPlay
          data-testid="camera"
          data-camera={camera.state}
        />
        {camera.state === "off" && (
          <p className="sellout-scanner__camera-off" role="alert">
            {camera.message}
          </p>
        )}
        {torch && torchAvailable && (
          <button
            type="button"
            className="sellout-scanner__torch"
            aria-pressed={torchOn}
            onClick={() => void toggleTorch()}
            data-testid="torch"
          >
            {torchOn ? "Torch off" : "Torch on"}
          </button>
        )}
      </div>
      {manualEntry && (
        <form className="sellout-scanner__manual" onSubmit={submitManual}>
          <label htmlFor={manualId}>Ticket code</label>
          <input
            id={manualId}
            value={manual}
            onChange={(e) => setManual(e.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            data-testid="manual-code"
          />
          <button type="submit" data-testid="manual-submit" disabled={manual.trim() === ""}>
            Check code
          </button>
        </form>
      )}
    </div>
  );
}
