/** The report's only stylesheet, inlined so the file stands alone. */
export const REPORT_STYLE = `
:root { --fg: #1d232a; --muted: #67707a; --line: #d9dee3; --bg: #fff; --panel: #f6f8fa;
  --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --info: #0969da; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
  max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 32px 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px;
  white-space: pre-wrap; word-break: break-word; font: 12.5px/1.45 ui-monospace, Menlo, Consolas, monospace; margin: 6px 0; }
code { font: 13px ui-monospace, Menlo, Consolas, monospace; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13.5px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.meta td:first-child { color: var(--muted); }
.muted { color: var(--muted); }
.warnings { border-left: 4px solid var(--warn); padding: 4px 12px; background: #fff8c5; }
.problems { border-left: 6px solid var(--bad); padding: 4px 12px; background: #ffebe9; }
.answer { border: 2px solid var(--info); border-radius: 8px; padding: 12px 16px; background: #f0f7ff; }
.answer .description { font-size: 17px; margin: 0 0 8px; }
.confidence { display: inline-block; width: 120px; height: 8px; background: var(--line); border-radius: 4px;
  vertical-align: middle; overflow: hidden; }
.confidence > span { display: block; height: 100%; background: var(--info); }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600;
  color: #fff; background: var(--muted); }
.badge-proposed { background: var(--info); }
.badge-supported, .badge-answered, .badge-ok { background: var(--ok); }
.badge-refuted, .badge-error, .badge-interrupted { background: var(--bad); }
.badge-budget, .badge-no_answer, .badge-running { background: var(--warn); }
a.evidence { font: 12.5px ui-monospace, monospace; padding: 0 4px; border: 1px solid var(--line); border-radius: 4px;
  text-decoration: none; color: var(--info); }
span.evidence.unknown { font: 12.5px ui-monospace, monospace; color: var(--bad); text-decoration: line-through; }
ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 2px solid var(--line); }
ol.timeline > li { margin: 0 0 12px; padding-left: 14px; position: relative; }
ol.timeline > li::before { content: ""; position: absolute; left: -7px; top: 6px; width: 12px; height: 12px;
  border-radius: 50%; background: var(--line); }
ol.timeline > li.supported::before { background: var(--ok); }
ol.timeline > li.refuted::before { background: var(--bad); }
ol.timeline > li.proposed::before { background: var(--info); }
.step { margin: 20px 0; }
.step > h3 { color: var(--muted); font-weight: 600; }
.call { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin: 10px 0; }
.call.failed { border-color: var(--bad); background: #fff5f5; }
.call.failed .result { border-color: var(--bad); color: var(--bad); }
.call:target, li:target { outline: 3px solid var(--info); }
.images { display: flex; flex-wrap: wrap; gap: 10px; }
figure { margin: 4px 0; max-width: 260px; }
figure img { max-width: 100%; border: 1px solid var(--line); border-radius: 4px; image-rendering: pixelated; }
figcaption { font-size: 12px; color: var(--muted); }
.missing { color: var(--bad); font-size: 12px; }
.notice { border-left: 4px solid var(--warn); padding: 4px 10px; margin: 8px 0; background: #fff8c5; }
.notice.error { border-color: var(--bad); background: #fff5f5; }
details > summary { cursor: pointer; color: var(--muted); }
`;
