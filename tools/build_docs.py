#!/usr/bin/env python3
"""Build the documentation site offline: static HTML of the notebooks, from their committed outputs (nothing is run).
Quarto (which `nbdev_docs` and the GitHub Pages workflow use) cannot be installed everywhere; this needs only nbconvert
(installed with jupyter) and nbdev. Usage:
  python tools/build_docs.py [--out _site]   # build the site (default _site/, git-ignored)
  python tools/build_docs.py --check         # build into a temp folder and check every local link and #anchor
Pages: nbs/index.ipynb as index.html, then every nbs/[0-9][0-9]_*.ipynb in name order, each as NAME.html.
`#| hide` and `#| default_exp` cells are left out, as nbdev's docs do (nbdev's own processors); `#| ...` lines are
stripped from the code shown; the first H1 is the page's title and the `> ...` line under it its subtitle.
Links to notebooks (`04_learner.ipynb#x`, `nbs/04_learner.ipynb`) point at the pages; local files a page refers to
(nbs/images/...) are copied into the site. Every page reads offline: no script or stylesheet from a CDN (MathJax,
require.js and widget managers are dropped; the notebooks have no math and no widgets)."""
import argparse, configparser, html, json, re, shutil, sys, tempfile, time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

root = Path(__file__).resolve().parent.parent
MARK = '.digit_nb_site'  # marks a folder this script built, so that a rebuild may empty it

def nbs_dir():
    cfg = configparser.ConfigParser(); cfg.read(root/'settings.ini')
    return root/cfg.get('DEFAULT', 'nbs_path', fallback='nbs')

def site_name():
    cfg = configparser.ConfigParser(); cfg.read(root/'settings.ini')
    return cfg.get('DEFAULT', 'repo', fallback=root.name)

def discover(nbs):
    "index first, then the numbered notebooks in name order (their reading order)"
    pages = ([nbs/'index.ipynb'] if (nbs/'index.ipynb').exists() else []) + sorted(nbs.glob('[0-9][0-9]_*.ipynb'))
    return [(p, p.stem + '.html') for p in pages]

# ---------------------------------------------------------------- notebook processing (nbdev's processors)
def process(path):
    "Read a notebook and apply nbdev's doc processors; return (nbformat notebook, title, subtitle)"
    import nbformat
    from execnb.nbio import read_nb
    from nbdev.process import NBProcessor
    from nbdev.processors import hide_, hide_line, strip_ansi, filter_stream_, rm_header_dash

    def default_exp_(cell, *args): del cell['source']  # nbdev's docs leave `#| default_exp` cells out
    def quarto_opts(cell):  # the few Quarto cell options a reader would notice
        d = getattr(cell, 'directives_', None) or {}
        if cell.cell_type != 'code' or not d: return
        val = lambda k: (d.get(k) or [''])[0].lower()
        if val('include:') == 'false': del cell['source']; return
        if val('echo:') == 'false': cell.hide_input_ = True
        if val('output:') == 'false': cell['outputs'] = []

    nb = read_nb(path)
    NBProcessor(nb=nb, procs=[hide_, default_exp_, hide_line, strip_ansi, filter_stream_, rm_header_dash, quarto_opts],
                rm_directives=True).process()
    title, subtitle, cells = None, None, []
    for c in nb.cells:
        src = c.get('source') or ''
        if c.cell_type == 'raw' and src.lstrip().startswith('---') and not cells and title is None:
            import yaml  # nbdev-style YAML front matter
            fm = yaml.safe_load(src.strip().strip('-')) or {}
            title, subtitle = fm.get('title'), fm.get('description') or fm.get('subtitle')
            continue
        if c.cell_type == 'code':
            src = '\n'.join(l for l in src.splitlines() if not re.match(r'\s*#\s*\|', l)).strip('\n')  # Quarto options left
            if not src.strip() and not c.get('outputs'): continue
            new = nbformat.v4.new_code_cell(src, outputs=[nbformat.from_dict(joined(o)) for o in c.get('outputs', [])])
            if getattr(c, 'hide_input_', False): new.metadata['transient'] = {'remove_source': True}
        elif c.cell_type == 'markdown':
            if title is None:
                m = re.search(r'^#\s+(.+?)\s*#*\s*$', src, flags=re.M)
                if m and '```' not in src[:m.start()]:  # an H1, not a comment in a fenced block
                    title = m.group(1)
                    rest = src[m.end():]
                    s = re.match(r'\s*\n((?:>[^\n]*(?:\n|$))+)', rest)
                    if s:
                        subtitle = ' '.join(l.lstrip('>').strip() for l in s.group(1).splitlines())
                        rest = rest[s.end():]
                    sub = f'\n\n<div class="subtitle">\n\n{subtitle}\n\n</div>\n\n' if subtitle else '\n'
                    src = src[:m.end()] + sub + rest
            elif not src.strip(): continue
            new = nbformat.v4.new_markdown_cell(src)
            if c.get('attachments'): new['attachments'] = dict(c['attachments'])
        else:
            new = nbformat.v4.new_raw_cell(src)
        cells.append(new)
    out = nbformat.v4.new_notebook(cells=cells)
    out.metadata['language_info'] = {'name': 'python', 'pygments_lexer': 'ipython3'}
    if title is None: title = path.stem
    elif not any(c.cell_type == 'markdown' and re.search(r'^#\s', c.source, flags=re.M) for c in cells):
        out.cells.insert(0, nbformat.v4.new_markdown_cell(f'# {title}' + (f'\n\n<div class="subtitle">\n\n{subtitle}\n\n</div>' if subtitle else '')))
    return out, title, subtitle

def joined(o):
    "an output as nbformat's in-memory form: multi-line strings, not the lists of lines stored on disk"
    o = dict(o)
    if isinstance(o.get('text'), list): o['text'] = ''.join(o['text'])
    if 'data' in o:
        o['data'] = {k: ''.join(v) if isinstance(v, list) and not k.endswith('json') else v for k, v in o['data'].items()}
    return o

def plain(md):
    "a title's markdown as plain text (for the nav and <title>)"
    return re.sub(r'[`*]|\[([^\]]*)\]\([^)]*\)', lambda m: m.group(1) or '', md).strip()

# ---------------------------------------------------------------- HTML
TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head -%}
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{{ resources.site.title | e }}</title>
<!--NBCONVERT-CSS-->
{% for css in resources.inlining.css -%}<style type="text/css">{{ css }}</style>
{% endfor %}
{% block notebook_css %}{{ super() }}{% endblock notebook_css %}
<!--/NBCONVERT-CSS-->
<link rel="stylesheet" href="site.css">
{%- endblock html_head -%}
{% block input %}
<div class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor" data-type="inline">
     <div class="cm-editor cm-s-jupyter">
{{ cell.source | highlight_code(metadata=cell.metadata) }}
     </div>
</div>
{%- endblock input %}
{%- block body_header -%}
<body class="jp-Notebook site" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
{{ resources.site.nav }}
<main class="site-main">
{%- endblock body_header -%}
{% block body_footer %}
{{ resources.site.pager }}
</main>
</body>
{% endblock body_footer %}
"""

SITE_CSS = """
body.jp-Notebook.site { margin: 0; padding: 0; overflow: visible; background: #fff; }
.site-nav { position: fixed; top: 0; left: 0; bottom: 0; width: 260px; overflow-y: auto; box-sizing: border-box;
  padding: 1.2rem 0.8rem; background: #f6f7f9; border-right: 1px solid #dde1e6;
  font: 14px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.site-nav .site-name { display: block; font-size: 1.25em; font-weight: 700; margin: 0 0.5rem 0.8rem; color: #1b3a5c; text-decoration: none; }
.site-nav ol { list-style: none; margin: 0; padding: 0; }
.site-nav li a { display: block; padding: 0.35rem 0.5rem; margin: 1px 0; border-radius: 4px; color: #24292f; text-decoration: none; }
.site-nav li a:hover { background: #e6eaef; }
.site-nav li a.current { background: #2b6cb0; color: #fff; font-weight: 600; }
main.site-main { margin-left: 260px; padding: 1rem 2.5rem 3rem; max-width: 1100px; box-sizing: border-box; }
main.site-main .subtitle { font-size: 1.2em; color: #57606a; margin: -0.3em 0 1.5em; }
main.site-main .subtitle p { margin: 0; }
main.site-main .jp-InputArea-editor { overflow-x: auto; }
main.site-main .jp-RenderedMarkdown pre { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px;
  padding: 0.6em 0.8em; margin: 0.6em 0 1em; overflow-x: auto; }
main.site-main .jp-RenderedMarkdown pre code { background: none; padding: 0; }
.site-pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; padding-top: 1rem;
  border-top: 1px solid #dde1e6; font: 15px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.site-pager a { text-decoration: none; color: #2b6cb0; max-width: 48%; }
.site-pager .next { margin-left: auto; text-align: right; }
.site-pager small { display: block; color: #57606a; }
@media (max-width: 900px) {
  .site-nav { position: static; width: auto; border-right: 0; border-bottom: 1px solid #dde1e6; }
  main.site-main { margin-left: 0; padding: 1rem; }
}
"""

def nav_html(pages, cur, name):
    items = ''.join(f'<li><a href="{f}"' + (' class="current" aria-current="page"' if i == cur else '') +
                    f'>{html.escape(t)}</a></li>' for i, (f, t) in enumerate(pages))
    return f'<nav class="site-nav" aria-label="Pages"><a class="site-name" href="{pages[0][0]}">{html.escape(name)}</a><ol>{items}</ol></nav>'

def pager_html(pages, cur):
    prev = (f'<a class="prev" href="{pages[cur-1][0]}"><small>&larr; Previous</small>{html.escape(pages[cur-1][1])}</a>'
            if cur > 0 else '')
    nxt = (f'<a class="next" href="{pages[cur+1][0]}"><small>Next &rarr;</small>{html.escape(pages[cur+1][1])}</a>'
           if cur + 1 < len(pages) else '')
    return f'<nav class="site-pager" id="site-pager" aria-label="Previous and next">{prev}{nxt}</nav>'

def pandoc_id(text):
    "the id pandoc (so Quarto, the published site) gives a heading, so that links written for that site work here"
    s = re.sub(r'[^\w\s.-]', '', text.lower())
    s = re.sub(r'\s+', '-', s.strip())
    return re.sub(r'^[\W\d_]+', '', s) or 'section'

_re_head = re.compile(r'<h([1-6])([^>]*?)\sid="([^"]*)"([^>]*)>(.*?)</h\1>', flags=re.S)

def add_pandoc_ids(page):
    seen = {}
    def sub(m):
        text = html.unescape(re.sub(r'<[^>]+>', '', re.sub(r'<a class="anchor-link".*?</a>', '', m.group(5), flags=re.S)))
        pid = pandoc_id(text)
        n = seen.get(pid, 0); seen[pid] = n + 1
        if n: pid = f'{pid}-{n}'
        extra = f'<span id="{html.escape(pid)}"></span>' if pid != m.group(3) else ''
        return f'<h{m.group(1)}{m.group(2)} id="{m.group(3)}"{m.group(4)}>{extra}{m.group(5)}</h{m.group(1)}>'
    return _re_head.sub(sub, page)

_re_attr = re.compile(r'''(\s(?:href|src)=)(["'])(.*?)\2''', flags=re.S)

def is_external(u): return bool(re.match(r'(?i)^(?:[a-z][a-z0-9+.-]*:|//)', u))

def rewrite_links(page, names, nbs, out, copied):
    "notebook links -> pages; local files under nbs/ the page refers to -> copied into the site"
    def sub(m):
        u = m.group(3)
        if not u or u.startswith('#') or is_external(u): return m.group(0)
        parts = urlsplit(html.unescape(u))
        p = unquote(parts.path)
        p = re.sub(r'^(?:\./)+', '', p)
        p = re.sub(r'^(?:\.\./)?' + re.escape(nbs.name) + '/', '', p)  # nbs/05_digits.ipynb, ../nbs/images/x.png
        frag = '#' + parts.fragment if parts.fragment else ''
        if p.endswith('.ipynb') and '/' not in p and p[:-6] in names: return f'{m.group(1)}{m.group(2)}{p[:-6]}.html{frag}{m.group(2)}'
        src = (nbs/p).resolve()
        if p and not p.endswith('.ipynb') and src.is_file() and src.is_relative_to(nbs.resolve()):
            if p not in copied:
                (out/p).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(src, out/p); copied.add(p)
            return f'{m.group(1)}{m.group(2)}{html.escape(p)}{frag}{m.group(2)}'
        return m.group(0)
    return _re_attr.sub(sub, page)

def build(out):
    from nbconvert import HTMLExporter
    from jinja2 import DictLoader
    nbs = nbs_dir()
    out = Path(out)
    if out.exists():
        if any(out.iterdir()) and not (out/MARK).exists(): sys.exit(f'{out} exists and is not a site built by this script: not emptying it')
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out/MARK).write_text('built by tools/build_docs.py; emptied on each build\n')
    found = discover(nbs)
    if not found: sys.exit(f'no notebooks found in {nbs}')
    processed = [(fn, *process(p)) for p, fn in found]
    pages = [(fn, plain(t)) for fn, _, t, _ in processed]
    names = {Path(fn).stem for fn, _ in pages}
    exp = HTMLExporter(template_name='lab', extra_loaders=[DictLoader({'site.html.j2': TEMPLATE})], template_file='site.html.j2',
                       exclude_input_prompt=True, exclude_output_prompt=True, anchor_link_text='¶')
    name, shared_css, copied = site_name(), None, set()
    for i, (fn, nb, title, subtitle) in enumerate(processed):
        t = plain(title)
        site = {'title': t if fn == 'index.html' else f'{t} – {name}', 'nav': nav_html(pages, i, name), 'pager': pager_html(pages, i)}
        page, _ = exp.from_notebook_node(nb, resources={'site': site, 'metadata': {'name': Path(fn).stem}})
        m = re.search(r'<!--NBCONVERT-CSS-->(.*?)<!--/NBCONVERT-CSS-->', page, flags=re.S)
        css = re.sub(r'</?style[^>]*>', '', m.group(1))
        if shared_css is None: shared_css = css; (out/'nbconvert.css').write_text(css)
        if css == shared_css: page = page[:m.start()] + '<link rel="stylesheet" href="nbconvert.css">' + page[m.end():]
        page = add_pandoc_ids(page)
        page = rewrite_links(page, names, nbs, out, copied)
        (out/fn).write_text(page)
    (out/'site.css').write_text(SITE_CSS)
    return {fn: f'{nbs.relative_to(root)}/{p.name}' for p, fn in found}

# ---------------------------------------------------------------- link check
class Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True); self.ids, self.refs = set(), []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id'): self.ids.add(a['id'])
        if tag == 'a' and a.get('name'): self.ids.add(a['name'])
        for k in ('href', 'src'):
            if a.get(k) is not None:
                self.refs.append((tag, k, a[k], (a.get('rel') or '').lower()))
    handle_startendtag = handle_starttag

def check(out, pages):
    out = Path(out).resolve()
    parsed = {}
    for f in sorted(out.rglob('*.html')):
        r = Refs(); r.feed(re.sub(r'(["\'])data:[^"\']*\1', '"data:"', f.read_text())); parsed[f.resolve()] = r
    broken, local, external = [], 0, 0
    for f, r in parsed.items():
        rel = str(f.relative_to(out))
        if rel in pages: rel = f'{rel} (from {pages[rel]})'
        for tag, k, u, rl in r.refs:
            u = u.strip()
            if u.startswith('data:') or u.lower().startswith(('mailto:', 'javascript:')): continue
            if is_external(u):
                if re.match(r'(?i)^(https?:)?//', u):
                    if tag == 'script' or (tag == 'link' and 'stylesheet' in rl):
                        broken.append(f'{rel}: loads {u} from the network (the site must read offline)')
                    external += 1
                else: broken.append(f'{rel}: {k}="{u}" is not a link a static site can follow')
                continue
            local += 1
            parts = urlsplit(u)
            target = (f.parent/unquote(parts.path)).resolve() if parts.path else f
            if target.is_dir(): target = target/'index.html'
            if not target.is_file() or not target.is_relative_to(out):
                broken.append(f'{rel}: {k}="{u}": no such file in the site'); continue
            if parts.fragment and target.suffix == '.html':
                ids = parsed[target].ids if target in parsed else set()
                if parts.fragment not in ids and unquote(parts.fragment) not in ids:
                    broken.append(f'{rel}: {k}="{u}": no id "{unquote(parts.fragment)}" on {target.relative_to(out)}')
    return broken, local, external

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', help='output folder (default _site; with --check, a temp folder)')
    p.add_argument('--check', action='store_true', help='build into a temp folder and check every local link; exit 1 if one is broken')
    a = p.parse_args()
    start = time.time()
    tmp = tempfile.TemporaryDirectory(prefix='docs-site-') if a.check and not a.out else None
    out = Path(tmp.name)/'_site' if tmp else Path(a.out or root/'_site')
    pages = build(out)
    secs = time.time() - start
    broken, local, external = check(out, pages)
    for b in broken: print(f'docs: broken link: {b}')
    print(f'docs: {len(pages)} pages, {local} local links checked, {external} external links not fetched, built in {secs:.1f} s'
          + ('' if tmp else f' into {out}'))
    if tmp: tmp.cleanup()
    if broken and a.check:
        print(f'docs: {len(broken)} broken link(s): fix them in the notebooks named above'); sys.exit(1)

if __name__ == '__main__': main()
