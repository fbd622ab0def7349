"""A corpus of script-injection tricks, one small document per family, for the browser tests.

Each document fits in one passage, so a cited quote's passage shows every trick in it. Every
payload that could run sets ``window.__pwned`` or opens a dialog; a test fails on either. Each
entry of :data:`SHOWN` lists the exact strings a reader must see, as text, for that question.
"""

from __future__ import annotations

import json
from pathlib import Path

EVIL = "evil.example"  # never resolvable in the browser tests

ZEBRA = """Zebra notes
The zebra report says <script>window.__pwned='script'</script> about the zebra.
Zebra: <img src=x onerror="window.__pwned='img'"> and <svg onload="window.__pwned='svg'"></svg>
Zebra: <iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe> <details open ontoggle="window.__pwned='details'">zebra</details>
Zebra: </p></blockquote></details></div><script>window.__pwned='breakout'</script> <b>zebra bold</b> <style>*{display:none}</style>
"""

YAK = f"""Yak notes
The yak report links <a href="javascript:window.__pwned='anchor'">yak anchor</a> about the yak.
Yak: [yak link](javascript:window.__pwned='md') and [yak data](data:text/html,<script>alert('yak')</script>)
Yak: <javascript:alert('yak')> and ![yak image](x" onerror="window.__pwned='mdimg') and ![yak pic](http://{EVIL}/y.png)
Yak: [yak ref][r] and <http://{EVIL}/yak> and www.{EVIL}/yak

[r]: javascript:alert('yak-ref')
"""

QUOKKA = """Quokka notes
The quokka report says &lt;script&gt;window.__pwned='entity'&lt;/script&gt; about the quokka.
Quokka: &#60;img src=x onerror=alert('quokka')&#62; and &#x6A;avascript:alert(1) and &amp;lt;b&amp;gt;
Quokka: \\u003cscript\\u003e and %3Cscript%3E and {{constructor.constructor('alert(1)')()}} and ${alert(1)}
"""

# An HTML source: its entities decode to characters when the text is extracted, its own
# <script> is dropped, and the decoded "<script>" must then show as text.
NARWHAL = """<html><head><title>Narwhal &lt;b&gt;page&lt;/b&gt;</title>
<script>window.__pwned='html-file'</script></head>
<body><p>The narwhal report says &lt;script&gt;alert('narwhal')&lt;/script&gt; about the narwhal.</p>
<p>Narwhal &amp;lt;img src=x onerror=alert(2)&amp;gt; and &quot;narwhal&quot; &#169; &eacute;</p></body></html>
"""

SOURCES = [
    {"file": "zebra.txt", "title": "Zebra <img src=x onerror=\"window.__pwned='title'\"> notes",
     "outlet": "Zebra & <u>Co</u>", "kind": "blog post", "published": "2015-01"},
    {"file": "yak.txt", "title": "Yak [notes](javascript:alert('title'))",
     "outlet": f"<a href=\"http://{EVIL}/\">Yak outlet</a>", "kind": "blog post", "published": "2015-02"},
    {"file": "quokka.txt", "title": "Quokka &lt;i&gt;notes&lt;/i&gt;", "outlet": "Q &amp; Co",
     "kind": "news article", "published": "2015-03"},
]

QUESTIONS = {
    "zebra": "What does the zebra report say about the zebra?",
    "yak": "What does the yak report link about the yak?",
    "quokka": "What does the quokka report say about the quokka?",
    "narwhal": "What does the narwhal report say about the narwhal?",
}

SHOWN = {
    "zebra": [
        "<script>window.__pwned='script'</script>",
        "<img src=x onerror=\"window.__pwned='img'\">",
        "<svg onload=\"window.__pwned='svg'\"></svg>",
        "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
        "<details open ontoggle=\"window.__pwned='details'\">zebra</details>",
        "</p></blockquote></details></div><script>window.__pwned='breakout'</script>",
        "<b>zebra bold</b> <style>*{display:none}</style>",
        "Zebra <img src=x onerror=\"window.__pwned='title'\"> notes",
        "Zebra & <u>Co</u>",
    ],
    "yak": [
        "<a href=\"javascript:window.__pwned='anchor'\">yak anchor</a>",
        "[yak link](javascript:window.__pwned='md')",
        "[yak data](data:text/html,<script>alert('yak')</script>)",
        "<javascript:alert('yak')>",
        "![yak image](x\" onerror=\"window.__pwned='mdimg')",
        f"![yak pic](http://{EVIL}/y.png)",
        f"[yak ref][r] and <http://{EVIL}/yak> and www.{EVIL}/yak",
        "Yak [notes](javascript:alert('title'))",
        f"<a href=\"http://{EVIL}/\">Yak outlet</a>",
    ],
    "quokka": [
        "&lt;script&gt;window.__pwned='entity'&lt;/script&gt;",
        "&#60;img src=x onerror=alert('quokka')&#62;",
        "&#x6A;avascript:alert(1) and &amp;lt;b&amp;gt;",
        "\\u003cscript\\u003e and %3Cscript%3E",
        "{{constructor.constructor('alert(1)')()}} and ${alert(1)}",
        "Quokka &lt;i&gt;notes&lt;/i&gt;",
        "Q &amp; Co",
    ],
    "narwhal": [
        "<script>alert('narwhal')</script>",
        "&lt;img src=x onerror=alert(2)&gt; and \"narwhal\" © é",
        "Narwhal <b>page</b>",
    ],
}

# Elements that retrieved text must never become (the app's own markup uses none of them).
FORBIDDEN_TAGS = ("script", "img", "iframe", "a", "input", "style", "object", "embed", "form", "math",
                  "video", "audio", "b", "i", "u", "h1", "h2", "h3", "code", "pre", "table", "link",
                  "meta", "base")


def write_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in (("zebra.txt", ZEBRA), ("yak.txt", YAK), ("quokka.txt", QUOKKA),
                       ("narwhal.html", NARWHAL)):
        (root / name).write_text(text, encoding="utf-8")
    (root / "sources.json").write_text(json.dumps(SOURCES), encoding="utf-8")
    return root
