/**
 * The add-in's icons as SVG (drawn here, 32×32 view box) and their PNG renderings at the
 * sizes Office asks for (16, 32, 64, 80; 128 for stores), via @resvg/resvg-js at build time.
 */
import { Resvg } from "@resvg/resvg-js";

const BLUE = "#0F6CBD";
const ORANGE = "#E07B24";

const svg = (body) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${body}</svg>`;

export const ICONS = {
  // Brand: blue tile, three ascending bars and the Pareto curve.
  icon: svg(`<rect x="1" y="1" width="30" height="30" rx="6" fill="${BLUE}"/>
    <rect x="7" y="17" width="4.5" height="8" rx="1" fill="#fff"/>
    <rect x="13.75" y="12" width="4.5" height="13" rx="1" fill="#fff"/>
    <rect x="20.5" y="7" width="4.5" height="18" rx="1" fill="#fff"/>
    <path d="M6 14 C 12 8, 18 6, 27 5" fill="none" stroke="${ORANGE}" stroke-width="2.4" stroke-linecap="round"/>`),
  // Analyze: bars (descending, Pareto) with the cumulative line.
  analyze: svg(`<rect x="4" y="9" width="6" height="19" rx="1" fill="${BLUE}"/>
    <rect x="13" y="16" width="6" height="12" rx="1" fill="${BLUE}" opacity="0.8"/>
    <rect x="22" y="21" width="6" height="7" rx="1" fill="${BLUE}" opacity="0.6"/>
    <path d="M5 10 L 16 5 L 27 3" fill="none" stroke="${ORANGE}" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>
    <circle cx="16" cy="5" r="2" fill="${ORANGE}"/>`),
  // Follow-ups: a calendar page with a due mark.
  followups:
    svg(`<rect x="3" y="6" width="26" height="23" rx="3" fill="#fff" stroke="${BLUE}" stroke-width="2.4"/>
    <rect x="3" y="6" width="26" height="7" rx="3" fill="${BLUE}"/>
    <rect x="8.5" y="2.5" width="3" height="7" rx="1.5" fill="${BLUE}"/>
    <rect x="20.5" y="2.5" width="3" height="7" rx="1.5" fill="${BLUE}"/>
    <path d="M9.5 21 L 14 25 L 23 16" fill="none" stroke="${ORANGE}" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>`),
  // Settings: a gear.
  settings: svg(`<g fill="${BLUE}" transform="translate(16 16)">
    ${Array.from({ length: 8 }, (_, i) => `<rect x="-2.6" y="-15" width="5.2" height="7" rx="1.2" transform="rotate(${i * 45})"/>`).join("")}
    <circle r="10"/></g><circle cx="16" cy="16" r="4.2" fill="#fff"/>`),
};

export const SIZES = [16, 32, 64, 80, 128];

/** PNG bytes of an icon at a size. */
export function renderIcon(name, size) {
  const r = new Resvg(ICONS[name], {
    fitTo: { mode: "width", value: size },
    background: "rgba(0,0,0,0)",
  });
  return r.render().asPng();
}
