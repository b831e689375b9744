// Punkt's icon element fetches SVGs from a CDN unless told otherwise; we serve them ourselves (ui/vite.config.ts),
// so the app works without internet access and under a strict content security policy.
declare global {
  interface Window {
    pktIconPath?: string;
  }
}
window.pktIconPath = '/punkt/icons/';
export {};
