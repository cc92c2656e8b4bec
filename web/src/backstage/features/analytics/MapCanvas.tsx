/**
 * The buyer map itself: MapLibre GL with no tiles at all (a plain
 * background and one circle per area), so it loads nothing from outside
 * Sellout. Loaded only when the analytics page shows buyers.
 */
import "maplibre-gl/dist/maplibre-gl.css";
import maplibregl from "maplibre-gl";
import { useEffect, useRef, useState } from "react";
import { boundsOf, buyerFeatures, type BuyerArea } from "./buyerMap";

/** Whether this browser can draw WebGL (MapLibre needs it). */
function webglAvailable(): boolean {
  try {
    return Boolean(document.createElement("canvas").getContext("webgl2"));
  } catch {
    return false;
  }
}

export default function MapCanvas({ areas }: { areas: readonly BuyerArea[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const [webgl] = useState(webglAvailable);
  useEffect(() => {
    if (!ref.current || !webgl) return;
    const map = new maplibregl.Map({
      container: ref.current,
      attributionControl: false,
      style: {
        version: 8,
        sources: { buyers: { type: "geojson", data: buyerFeatures(areas) } },
        layers: [
          { id: "background", type: "background", paint: { "background-color": "#e9eef3" } },
          {
            id: "buyers",
            type: "circle",
            source: "buyers",
            paint: {
              "circle-radius": ["get", "radius"],
              "circle-color": "#1864ab",
              "circle-opacity": 0.7,
              "circle-stroke-color": "#ffffff",
              "circle-stroke-width": 1,
            },
          },
        ],
      },
      bounds: boundsOf(areas) ?? [
        [-10, 35],
        [30, 60],
      ],
      fitBoundsOptions: { padding: 40, maxZoom: 9 },
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    return () => map.remove();
  }, [areas, webgl]);
  if (!webgl)
    return (
      <p data-testid="buyer-map-unavailable">
        This browser cannot draw the map (it needs WebGL); the table lists the same areas.
      </p>
    );
  return (
    <figure className="buyer-map-figure">
      <div ref={ref} className="buyer-map" />
      <figcaption className="visually-hidden">Map of the {areas.length} areas buyers come from</figcaption>
    </figure>
  );
}
