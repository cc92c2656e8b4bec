/** The buyer map's data without React or MapLibre: GeoJSON points and the view that fits them. */

export interface BuyerArea {
  latitude: number;
  longitude: number;
  orders: number;
}

/** The areas as a GeoJSON FeatureCollection of points, each with its order count and circle radius. */
export function buyerFeatures(areas: readonly BuyerArea[]) {
  const most = Math.max(1, ...areas.map((a) => a.orders));
  return {
    type: "FeatureCollection" as const,
    features: areas.map((a) => ({
      type: "Feature" as const,
      properties: { orders: a.orders, radius: radiusOf(a.orders, most) },
      geometry: { type: "Point" as const, coordinates: [a.longitude, a.latitude] },
    })),
  };
}

/** [[west, south], [east, north]] around the areas (a cell's half-width of margin), or null for none. */
export function boundsOf(areas: readonly BuyerArea[]): [[number, number], [number, number]] | null {
  if (areas.length === 0) return null;
  const lats = areas.map((a) => a.latitude);
  const lons = areas.map((a) => a.longitude);
  const m = 0.05;
  return [
    [Math.max(-180, Math.min(...lons) - m), Math.max(-85, Math.min(...lats) - m)],
    [Math.min(180, Math.max(...lons) + m), Math.min(85, Math.max(...lats) + m)],
  ];
}

/** Circle radius in pixels for `orders` (area grows with the count). */
export function radiusOf(orders: number, most: number): number {
  return 6 + 18 * Math.sqrt(orders / Math.max(1, most));
}
