/**
 * The dashboard's one style sheet, served in a nonce'd `<style>` block. Colours meet WCAG 2.2 AA
 * contrast (1.4.3, 4.5:1 for text): #1a1f36 on white 16:1, #4f566b 7:1, white on #4b45c6 6.6:1,
 * the banner's #5c4400 on #fff3cd 8:1, the error's #b3093c 6.9:1, the success #0b6b3a 6.6:1.
 * Focus is always visible (2.4.7); at 360 px the nav wraps and wide tables scroll inside their
 * own box, so the page never scrolls sideways (1.4.10 reflow).
 */
export const DASHBOARD_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1f36;background:#f6f9fc}
a{color:#3b36a8}
.skip{position:absolute;left:-9999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:1}
header{background:#fff;border-bottom:1px solid #d8dee8;padding:8px 16px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
header .brand{font-weight:700;margin-right:auto}
header .who{color:#4f566b;font-size:.875rem;overflow-wrap:anywhere}
nav ul{list-style:none;margin:0;padding:4px 16px;display:flex;flex-wrap:wrap;gap:4px 16px;background:#fff;border-bottom:1px solid #d8dee8}
nav a{display:inline-block;padding:6px 0;text-decoration:none}
nav a[aria-current="page"]{font-weight:700;text-decoration:underline}
.banner{background:#fff3cd;color:#5c4400;padding:6px 16px;font-weight:600}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.375rem;margin:8px 0 16px}
h2{font-size:1.125rem;margin:24px 0 8px}
.panel{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin-bottom:16px}
.muted{color:#4f566b}
.table-wrap{overflow-x:auto;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
table{border-collapse:collapse;width:100%;font-size:.875rem}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #e3e8ee;vertical-align:top}
th{color:#4f566b;font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.8125rem;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:minmax(120px,max-content) 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:#4f566b}
dl.facts dd{margin:0;overflow-wrap:anywhere}
form.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;margin-bottom:16px}
label{display:block;font-size:.8125rem;color:#4f566b;margin-bottom:2px}
input,select,textarea{font:inherit;color:#1a1f36;background:#fff;border:1px solid #8792a2;border-radius:6px;padding:6px 8px;min-height:36px;max-width:100%}
button{font:inherit;font-weight:600;min-height:36px;padding:6px 14px;border-radius:6px;border:1px solid #4b45c6;background:#4b45c6;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#3b36a8}
button.danger{background:#b3093c;border-color:#b3093c}
button:disabled{opacity:.6;cursor:progress}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #1a1f36;outline-offset:2px}
.actions{display:flex;flex-wrap:wrap;gap:12px}
form.action{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end;background:#fff;border:1px solid #e3e8ee;border-radius:8px;padding:12px}
form.action .confirm{flex-basis:100%;margin:0;font-weight:600}
.wide{flex-basis:100%}
.wide textarea{width:100%}
.status{min-height:1.25em;margin:4px 0 0;flex-basis:100%}
.error{color:#b3093c}
.ok{color:#0b6b3a}
.badge{display:inline-block;border-radius:4px;padding:0 6px;background:#e3e8ee;font-size:.8125rem;white-space:nowrap}
.secret{background:#fff3cd;color:#5c4400;padding:8px;border-radius:6px;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:16px}
.stat{font-size:1.5rem;font-weight:700;margin:0}
ol.timeline{margin:0;padding-left:20px}
ol.timeline li{margin-bottom:6px}
.login{max-width:400px;margin:48px auto}
.login input{width:100%}
.login button{width:100%;margin-top:16px;min-height:44px}
.field{margin-top:12px}
svg.bars{width:100%;height:auto;display:block}
svg.bars text{font-size:12px;fill:#1a1f36}
svg.bars rect{fill:#4b45c6}
.pager{display:flex;gap:16px;margin-top:12px}
`;
