/// The portal's header and footer, with `{{lang}}`, `{{pageTitle}}` and `{{t.key}}` holes that
/// ``PageLayout`` fills once per language (the title per page, escaped). Pages are written by typed views
/// (``HTML``); the Mustache templates they replaced are kept in the tests as the oracle they must match.
enum PortalTemplates {
    static let header = """
    <!doctype html>
    <html lang="{{lang}}">
    <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{pageTitle}} · Assay</title>
    <style>
    body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;line-height:1.45}
    header{background:#123;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
    header a{color:#fff;text-decoration:none}header nav a{margin-right:.8rem}
    main{padding:1rem;max-width:72rem;margin:auto}
    table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
    .pill{display:inline-block;padding:0 .4rem;border-radius:.6rem;background:#eef;font-size:.85em}
    .contested{background:#fde2e2}.synthetic{color:#8a5a00;font-size:.85em}
    .bar{background:#eee;height:.8rem;width:12rem;display:inline-block;vertical-align:middle}
    .bar span{display:block;height:100%;background:#2a7}
    .figures{display:flex;gap:1rem;flex-wrap:wrap}.figures div{background:#f4f6f8;padding:.6rem 1rem;border-radius:.4rem}
    pre{background:#f4f6f8;padding:.6rem;overflow:auto;white-space:pre-wrap;word-break:break-all}
    footer{color:#666;font-size:.8em;padding:1rem;text-align:center}
    svg .site,.swatch{stroke:#fff;stroke-width:.7;vector-effect:non-scaling-stroke}svg a:hover .site,svg a:focus .site{stroke:#000;stroke-width:2}
    .m-cobalt{fill:#2456a6}.m-copper{fill:#b8632b}.m-tin{fill:#5b6b7c}.m-tantalum{fill:#7a3e9d}.m-tungsten{fill:#2e7d6b}.m-gold{fill:#b08900}.m-lithium{fill:#c0407a}.m-other{fill:#777}
    .halted{fill-opacity:.35;stroke:#000!important;stroke-dasharray:2 1}.on-held{stroke:#c00!important;stroke-width:1.8!important}
    svg .province{fill:#e9efe6;stroke:#789;stroke-width:.6;vector-effect:non-scaling-stroke}svg .province:hover,svg a:focus .province{fill:#d2e0cc}svg .province.current{fill:#f4f8f1;stroke:#345;stroke-width:1.2}
    svg.map{width:100%;height:auto;max-height:80vh;background:#f3f8fc}.map-wrap{position:relative}.map-wrap.zoomable svg.map{touch-action:none;cursor:grab}
    svg .armed{fill:none;stroke:#d06000;stroke-width:1;vector-effect:non-scaling-stroke}svg .focus{fill:none;stroke:#000;stroke-width:2.5;vector-effect:non-scaling-stroke}
    svg .held-ring{fill:none;stroke:#b00;stroke-width:1.5;stroke-dasharray:4 2;vector-effect:non-scaling-stroke}svg .held:hover .held-ring,svg .held:focus .held-ring{stroke-width:3.5}
    .legend{list-style:none;display:flex;flex-wrap:wrap;gap:.3rem 1rem;padding:0;font-size:.85em}.legend svg{vertical-align:middle;margin-right:.3rem}.swatch-held rect{fill:rgba(200,30,30,.5)}
    .map-form{display:inline-block;margin:.2rem 1rem .2rem 0}.map-form fieldset{display:inline;border:1px solid #ccc}.map-tools{position:absolute;top:.4rem;right:.4rem}.map-tools button{font-size:1.1rem;min-width:2rem}
    figure.mini-map{float:right;width:18rem;margin:0 0 1rem 1rem}figure.mini-map ~ table#facts{width:calc(100% - 20rem)}figure.mini-map svg{width:100%;height:auto}
    .flag-high{color:#a00;font-weight:bold}.ok{color:#176b2c}.bad{color:#a00;font-weight:bold}
    details pre{font-size:.75em}
    @media print{header form,header nav,header span,details{display:none}main{max-width:none}a{color:inherit;text-decoration:none}
      table{page-break-inside:auto}tr{page-break-inside:avoid}h2{page-break-after:avoid}}
    svg .held rect{fill:rgba(200,30,30,.5);stroke:none}
    .title{fill:none;stroke:#36c;stroke-width:1.2;vector-effect:non-scaling-stroke}.grant{fill:rgba(200,120,0,.08);stroke:#c80;stroke-dasharray:3 2;vector-effect:non-scaling-stroke}
    figure.chart{margin:1rem 0 2rem;max-width:780px}figure.chart figcaption{font-weight:bold;margin-bottom:.3rem}svg.line-chart{width:100%;height:auto;overflow:visible}
    svg .grid{stroke:#ddd}svg .tick{fill:#333;font-size:11px}svg .axis-title{fill:#222;font-size:12px;font-weight:bold}svg .col .hit{fill:transparent}
    svg .col .cursor{stroke:#777;stroke-dasharray:2 2}svg .col .cursor,svg .col .dot,svg .col .tip{visibility:hidden}
    svg .col:hover .cursor,svg .col:focus .cursor,svg .col:hover .dot,svg .col:focus .dot,svg .col:hover .tip,svg .col:focus .tip{visibility:visible}
    svg .col:focus{outline:none}svg .col:focus .hit{fill:rgba(0,0,80,.07)}svg .tip rect{fill:#fff;stroke:#555}svg .tip text{font-size:11px;fill:#111}
    details.chart-table table{font-size:.85em}.chart-csv{margin:.2rem 0}ul.sources small{color:#555;word-break:break-all}
    </style></head>
    <body>
    <header><a href="/?lang={{lang}}"><strong>Assay</strong></a>
    <nav><a href="/?lang={{lang}}">{{t.overview}}</a><a href="/agreements?lang={{lang}}">{{t.agreements}}</a><a href="/map?lang={{lang}}">{{t.map}}</a><a href="/parties?lang={{lang}}">{{t.parties}}</a><a href="/sites?lang={{lang}}">{{t.sites}}</a><a href="/concessions?lang={{lang}}">{{t.concessions}}</a><a href="/lots?lang={{lang}}">{{t.lots}}</a><a href="/supply?lang={{lang}}">{{t.supply}}</a><a href="/log?lang={{lang}}">{{t.log}}</a></nav>
    <form action="/search" method="get"><input type="hidden" name="lang" value="{{lang}}"><input name="q" aria-label="{{t.search}}" placeholder="{{t.search}}"></form>
    <span><a href="?lang=fr" hreflang="fr">FR</a> · <a href="?lang=en" hreflang="en">EN</a></span></header>
    <main>
    """

    static let footer = """
    </main><footer>{{t.credits}}</footer></body></html>
    """
}
