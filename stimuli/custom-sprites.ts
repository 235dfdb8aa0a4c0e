/**
 * Small SVG sprites of our own (same 36×36 view box and palette as Twemoji) for concepts that no
 * emoji depicts on its own: MAIA's benchmark asks for fences, leashes, handles, roofs, tails, buttons
 * and sinks, and a substitute (a whole house for "roof") would blur what a unit is tested on.
 * Written for this project; same licence as the code.
 */

const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36">${body}</svg>`;

export const CUSTOM_SPRITES: Record<string, string> = {
  fence: svg(
    `<g fill="#C1694F">
      <path d="M2 10l2.5-4L7 10v22H2z"/><path d="M10 10l2.5-4L15 10v22h-5z"/>
      <path d="M18 10l2.5-4L23 10v22h-5z"/><path d="M26 10l2.5-4L31 10v22h-5z"/>
    </g>
    <g fill="#A0522D"><rect x="0" y="13" width="36" height="3.5"/><rect x="0" y="24" width="36" height="3.5"/></g>
    <g fill="#662113" opacity="0.5"><rect x="6" y="10" width="1" height="22"/><rect x="14" y="10" width="1" height="22"/>
      <rect x="22" y="10" width="1" height="22"/><rect x="30" y="10" width="1" height="22"/></g>`,
  ),
  button: svg(
    `<path fill="#DD2E44" fill-rule="evenodd" d="M18 3a15 15 0 1 1 0 30a15 15 0 1 1 0-30z
      M13.5 11.5a2.3 2.3 0 1 0 0.01 0z M22.5 11.5a2.3 2.3 0 1 0 0.01 0z
      M13.5 20.5a2.3 2.3 0 1 0 0.01 0z M22.5 20.5a2.3 2.3 0 1 0 0.01 0z"/>
    <circle cx="18" cy="18" r="12" fill="none" stroke="#A0041E" stroke-width="1.5"/>`,
  ),
  roof: svg(
    `<rect x="24" y="6" width="5" height="10" fill="#662113"/>
    <path fill="#C1694F" d="M18 4L1 24h34z"/>
    <g stroke="#8A3D24" stroke-width="1.2"><path d="M6.5 17.5h23M11.5 11.5h13"/></g>
    <g stroke="#8A3D24" stroke-width="1"><path d="M13 17.5v6.5M23 17.5v6.5M18 11.5v6M10 24h0M18 4v0"/></g>
    <rect x="0" y="23" width="36" height="3" fill="#662113"/>`,
  ),
  handle: svg(
    `<rect x="6" y="4" width="9" height="28" rx="4.5" fill="#66757F"/>
    <circle cx="10.5" cy="13" r="3.5" fill="#CCD6DD"/>
    <rect x="9" y="10" width="24" height="6" rx="3" fill="#99AAB5"/>
    <circle cx="10.5" cy="25" r="1.8" fill="#292F33"/>`,
  ),
  leash: svg(
    `<path fill="none" stroke="#DD2E44" stroke-width="3.2" stroke-linecap="round"
      d="M9 12c-5-2-6-9 0-10c6-1 7 6 2 9c8 4 14 6 16 12"/>
    <rect x="24" y="22" width="6" height="4" rx="1" fill="#99AAB5"/>
    <path fill="none" stroke="#66757F" stroke-width="2" d="M27 26v4a2.5 2.5 0 1 0 0 .1"/>`,
  ),
  tail: svg(
    `<path fill="#F4900C" d="M3 31c2 2 6 2 9 0c8-5 5-14 11-18c4-3 9-3 11-7c-3-4-12-5-17-1c-7 5-4 13-9 18c-2 2-4 3-5 8z"/>
    <path fill="#F5F8FA" d="M34 6c-3-4-12-5-17-1c-2 2-3 4-3 6c4-3 7-5 13-4c3 0 5 0 7-1z"/>
    <path fill="none" stroke="#C1694F" stroke-width="0.9" stroke-linecap="round"
      d="M7 28c4-3 5-8 7-12M11 27c4-3 5-8 8-11M15 23c2-3 4-6 8-8"/>`,
  ),
  sink: svg(
    `<rect x="16" y="4" width="4" height="9" rx="1" fill="#99AAB5"/>
    <path fill="#99AAB5" d="M16 5h9a2 2 0 0 1 2 2v4h-3V8h-8z"/>
    <path fill="#E1E8ED" d="M2 15h32v3c0 8-7 14-16 14S2 26 2 18z"/>
    <path fill="#CCD6DD" d="M6 16.5h24c-1 6-5 10-12 10s-11-4-12-10z"/>
    <rect x="1" y="13" width="34" height="3" rx="1.5" fill="#99AAB5"/>
    <circle cx="18" cy="22" r="1.3" fill="#66757F"/>`,
  ),
};
