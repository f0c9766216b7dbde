"""``paperls report`` as one self-contained HTML page: no network at view time, no library.

The data (``features.report.build``) is embedded as JSON; a little plain JavaScript draws the
four sections (papers with copies, the curator-overlap heatmap with click-through to the shared
papers, the topic map, the format problems) and filters the papers. Text from the lists is only
ever inserted with ``textContent``, never as HTML.
"""

from __future__ import annotations

import html
import json

from . import __version__

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d1f24;background:#fafafa}
header{background:#20344f;color:#fff;padding:16px 28px}header h1{margin:0 0 4px;font-size:20px}
header p{margin:0;opacity:.85}main{padding:8px 28px 40px;max-width:1200px}
h2{margin:28px 0 8px;font-size:17px;border-bottom:1px solid #ddd;padding-bottom:4px}
.stats{display:flex;gap:12px;flex-wrap:wrap;margin-top:14px}.stat{background:#fff;border:1px solid #ddd;
border-radius:6px;padding:8px 14px}.stat b{display:block;font-size:20px}
.paper{background:#fff;border:1px solid #ddd;border-radius:6px;margin:8px 0;padding:8px 12px}
.paper h3{margin:0;font-size:15px}.first{color:#555;font-style:italic;margin:2px 0 6px}
.copy{font-family:ui-monospace,monospace;font-size:12.5px}.rel{color:#555;font-family:system-ui}
del{background:#fbd5d5;text-decoration:line-through}ins{background:#d4f5d4;text-decoration:none}
.diff{margin:2px 0 4px 18px;font-size:12.5px;color:#333}
#filter{width:320px;padding:5px 8px;border:1px solid #bbb;border-radius:4px}
table.heat{border-collapse:collapse;font-size:11px}table.heat td{width:22px;height:22px;text-align:center;
border:1px solid #eee;cursor:pointer}table.heat th{font-weight:normal;text-align:right;padding-right:6px;
white-space:nowrap;max-width:260px;overflow:hidden;text-overflow:ellipsis}
table.heat th.col{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;height:140px}
.topic{display:flex;gap:10px;align-items:center;margin:3px 0}.bar{background:#5b86c5;height:12px;border-radius:2px}
.topic .name{width:260px}.topic .lists{color:#555;font-size:12px}
.problems li{font-family:ui-monospace,monospace;font-size:12.5px}.note{color:#666;font-size:12.5px}
"""

_JS = r"""
const D = JSON.parse(document.getElementById('data').textContent);
const el = (tag, attrs = {}, ...kids) => { const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids) e.append(k); return e; };
const stats = document.getElementById('stats');
[['lists', D.lists], ['abstracts', D.abstracts], ['papers with copies', D.papers_with_copies],
 ['papers in more than one list', D.papers_in_several_lists],
 ['papers twice in one list', D.papers_twice_in_a_list]].forEach(([k, v]) =>
  stats.append(el('div', {class: 'stat', 'data-stat': k}, el('b', {}, String(v.toLocaleString())), k)));
function drawPapers(only) {
  const box = document.getElementById('paper-list'); box.replaceChildren();
  const q = document.getElementById('filter').value.toLowerCase();
  let shown = 0;
  for (const p of D.papers) {
    if (only && !only.has(p.cluster)) continue;
    if (q && !(p.title + ' ' + p.first_words + ' ' + p.members.map(m => m.list).join(' '))
        .toLowerCase().includes(q)) continue;
    const div = el('div', {class: 'paper', id: 'p-' + p.cluster},
      el('h3', {}, p.title), el('div', {class: 'first'}, '\u201c' + p.first_words + '\u201d'));
    for (const m of p.members) {
      div.append(el('div', {class: 'copy'}, m.list + ':' + m.line + '  ',
                    el('span', {class: 'rel'}, m.relation)));
      for (const c of (m.diff || [])) {
        const d = el('div', {class: 'diff'}, '\u2026' + (c.before ? c.before + ' ' : ''));
        if (c.deleted) d.append(el('del', {}, c.deleted), ' ');
        if (c.inserted) d.append(el('ins', {}, c.inserted), ' ');
        d.append((c.after || '') + '\u2026'); div.append(d);
      }
    }
    box.append(div); shown++;
  }
  document.getElementById('paper-count').textContent = only ?
    `${shown} papers shared by the selected lists (show all)` :
    `${shown} of ${D.papers_with_copies} papers` +
    (D.papers_not_shown ? ` (the ${D.papers_not_shown} smallest groups are not listed)` : '');
}
document.getElementById('filter').addEventListener('input', () => drawPapers());
document.getElementById('paper-count').addEventListener('click', () => drawPapers());
(function heat() {
  const o = D.overlap, n = o.lists.length, box = document.getElementById('heat');
  if (!n) { box.append(el('p', {class: 'note'}, 'No paper is shared between two lists.')); return; }
  const cell = new Map(o.cells.map(c => [c.a + ',' + c.b, c]));
  const max = Math.max(1, ...o.cells.map(c => c.papers));
  const t = el('table', {class: 'heat'}), head = el('tr', {}, el('th'));
  o.lists.forEach(l => head.append(el('th', {class: 'col', title: l}, l)));
  t.append(head);
  o.lists.forEach((l, i) => {
    const tr = el('tr', {}, el('th', {title: l}, l));
    o.lists.forEach((_, j) => {
      const c = cell.get(Math.min(i, j) + ',' + Math.max(i, j));
      const td = el('td');
      if (c && i !== j) {
        td.textContent = c.papers; td.title = `${o.lists[i]} and ${o.lists[j]}: ${c.papers} papers`;
        td.style.background = `rgba(32,80,160,${0.15 + 0.85 * c.papers / max})`;
        td.style.color = c.papers / max > 0.5 ? '#fff' : '#000';
        td.dataset.pair = o.lists[i] + '|' + o.lists[j];
        td.addEventListener('click', () => { drawPapers(new Set(c.clusters));
          document.getElementById('papers').scrollIntoView(); });
      }
      tr.append(td);
    });
    t.append(tr);
  });
  box.append(t);
  if (o.lists_not_shown) box.append(el('p', {class: 'note'},
    `${o.lists_not_shown} more lists share papers; the ${n} that share most are shown.`));
})();
(function topics() {
  const box = document.getElementById('topic-list'), t = D.topics.topics;
  const max = Math.max(1, ...t.map(x => x.abstracts));
  for (const x of t) box.append(el('div', {class: 'topic'}, el('span', {class: 'name'}, x.topic),
    el('span', {class: 'bar', style: `width:${Math.round(220 * x.abstracts / max)}px`}),
    el('span', {}, String(x.abstracts)),
    el('span', {class: 'lists'}, x.lists.map(l => `${l.list} (${l.abstracts})`).join(', ') +
       (x.lists_total > x.lists.length ? `, and ${x.lists_total - x.lists.length} more lists` : ''))));
  if (D.topics.sampled_abstracts) box.append(el('p', {class: 'note'},
    `Topics of a sample of ${D.topics.sampled_abstracts.toLocaleString()} abstracts.`));
})();
(function problems() {
  const box = document.getElementById('problem-list');
  if (!D.problems.length) { box.append(el('p', {class: 'note'}, 'No format problems.')); return; }
  for (const l of D.problems) {
    const ul = el('ul', {class: 'problems'});
    l.problems.forEach(p => ul.append(el('li', {}, `${l.list}:${p.line}: ${p.message} [${p.code}]`)));
    box.append(el('h3', {}, `${l.list} (${l.total})`), ul);
  }
})();
drawPapers();
"""


def render(data: dict, title: str = "paperls report") -> str:
    body = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")  # no early </script>
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>{html.escape(title)}</title><style>{_CSS}</style></head>
<body><header><h1>{html.escape(title)}</h1>
<p>{data['lists']:,} lists, {data['abstracts']:,} abstracts · paperls {__version__}</p></header>
<main><div class="stats" id="stats"></div>
<section id="papers"><h2>Papers with more than one copy</h2>
<p><input id="filter" placeholder="Filter by title, words or list"> <a href="#papers" id="paper-count"></a></p>
<div id="paper-list"></div></section>
<section id="overlap"><h2>Curator overlap: papers two lists share</h2><div id="heat"></div></section>
<section id="topics"><h2>Topics</h2><div id="topic-list"></div></section>
<section id="format"><h2>Format problems</h2><div id="problem-list"></div></section>
</main><script type="application/json" id="data">{body}</script><script>{_JS}</script></body></html>
"""
