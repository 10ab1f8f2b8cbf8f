#include "stylesheet.h"

namespace plaza::web {

std::string_view Stylesheet() {
  return R"css(:root{--ink:#1d1b1a;--muted:#6b6461;--line:#e4dedb;--accent:#7a3e2c;--bg:#fbf9f7;--focus:#1a56db}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:56rem;margin:0 auto;padding:2rem 1.25rem}
h1{font-size:1.75rem;margin:0 0 1rem}h2{font-size:1.2rem;margin:2rem 0 .5rem}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.card{background:#fff;border:1px solid var(--line);border-radius:12px;padding:1.5rem;max-width:26rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;padding:.6rem .7rem;border:1px solid #8a817d;border-radius:8px;font:inherit}
button{margin-top:1.25rem;padding:.65rem 1.1rem;border:0;border-radius:8px;background:var(--accent);color:#fff;font:inherit;font-weight:600;cursor:pointer}
.error{background:#fdecea;border:1px solid #e0a39a;color:#7a1f12;padding:.75rem 1rem;border-radius:8px}
.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.5rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
code{font-family:ui-monospace,monospace;font-size:.9em;word-break:break-all}
header.bar{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap}
header.bar form button{margin:0;background:#fff;color:var(--accent);border:1px solid var(--accent)}
)css";
}

}  // namespace plaza::web
