import AssayDomain
import Hummingbird

/// `/assets/map.js`: pan and zoom on the portal's maps for readers with JavaScript (the pages are
/// complete without it). Served by Assay itself — no outside CDN, allowed by the `script-src 'self'`
/// policy. It moves the `<svg>`'s viewBox (drag to pan, wheel or buttons to zoom), keeps the marks at a
/// readable size, and says how many held zones are in view (`#in-view`, a polite live region; the ids
/// in the map's `data-in-view`). Written here rather than taken from a mapping library: the map is
/// our own SVG, and the script is fifty lines.
enum MapScript {
    static let source = #"""
    // Assay: pan and zoom for the portal's maps. The page works without this script.
    (function () {
      'use strict';
      function nums(s) { return s.trim().split(/[ ,]+/).map(Number); }
      document.querySelectorAll('.map-wrap').forEach(function (wrap) {
        var svg = wrap.querySelector('svg.map');
        if (!svg || !svg.getAttribute('data-full')) { return; }
        wrap.classList.add('zoomable');
        var full = nums(svg.getAttribute('data-full'));
        var start = nums(svg.getAttribute('viewBox'));
        var vb = start.slice();
        var marks = Array.prototype.map.call(svg.querySelectorAll('circle.site'), function (c) {
          return [c, Number(c.getAttribute('r'))];
        });
        var zones = Array.prototype.map.call(svg.querySelectorAll('g.held[data-box]'), function (g) {
          return [g.getAttribute('data-id'), nums(g.getAttribute('data-box'))];
        });
        var label = document.getElementById('in-view');
        function count() {
          var seen = zones.filter(function (z) {
            var b = z[1];
            return b[0] <= vb[0] + vb[2] && b[2] >= vb[0] && b[1] <= vb[1] + vb[3] && b[3] >= vb[1];
          }).map(function (z) { return z[0]; });
          svg.setAttribute('data-in-view', seen.join(' '));
          if (label) { label.textContent = '(' + seen.length + ' ' + label.getAttribute('data-label') + ')'; }
        }
        function set(v) {
          vb = v;
          svg.setAttribute('viewBox', v.map(function (n) { return n.toFixed(2); }).join(' '));
          // Marks grow a little as one zooms in, not with the zoom.
          var k = Math.pow(v[2] / start[2], 0.8);
          marks.forEach(function (m) { m[0].setAttribute('r', (m[1] * k).toFixed(3)); });
          count();
        }
        function zoom(f, cx, cy) {
          var w = Math.min(full[2] * 1.5, Math.max(full[2] / 500, vb[2] * f));
          var h = w * vb[3] / vb[2];
          if (cx === undefined) { cx = vb[0] + vb[2] / 2; cy = vb[1] + vb[3] / 2; }
          set([cx - (cx - vb[0]) * w / vb[2], cy - (cy - vb[1]) * h / vb[3], w, h]);
        }
        function at(ev) {
          var p = svg.createSVGPoint();
          p.x = ev.clientX; p.y = ev.clientY;
          return p.matrixTransform(svg.getScreenCTM().inverse());
        }
        svg.addEventListener('wheel', function (ev) {
          ev.preventDefault();
          var p = at(ev);
          zoom(ev.deltaY < 0 ? 0.8 : 1.25, p.x, p.y);
        }, { passive: false });
        var drag = null, moved = false;
        svg.addEventListener('pointerdown', function (ev) { drag = at(ev); moved = false; });
        svg.addEventListener('pointermove', function (ev) {
          if (!drag) { return; }
          var p = at(ev), dx = p.x - drag.x, dy = p.y - drag.y;
          if (Math.abs(dx) + Math.abs(dy) > vb[2] / 300) { moved = true; set([vb[0] - dx, vb[1] - dy, vb[2], vb[3]]); }
        });
        window.addEventListener('pointerup', function () { drag = null; });
        svg.addEventListener('click', function (ev) { if (moved) { ev.preventDefault(); moved = false; } }, true);
        var tools = document.createElement('div');
        tools.className = 'map-tools';
        [['+', 'data-zoom-in', function () { zoom(0.6); }], ['\u2212', 'data-zoom-out', function () { zoom(1.6); }],
         ['\u21BA', 'data-reset', function () { set(start.slice()); }]].forEach(function (b) {
          var button = document.createElement('button');
          button.type = 'button';
          button.textContent = b[0];
          button.setAttribute('aria-label', wrap.getAttribute(b[1]) || b[0]);
          button.title = button.getAttribute('aria-label');
          button.addEventListener('click', b[2]);
          tools.appendChild(button);
        });
        wrap.appendChild(tools);
        count();
      });
    })();
    """#

    static func register(on router: Router<AssayContext>, geography: Geography) {
        // The borders the big map refers to; the URL carries a hash of the content, so it never goes stale.
        let provinces = SVG.provincesDocument(geography)
        router.get("assets/provinces.svg") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "image/svg+xml"
            headers[.cacheControl] = "public, max-age=31536000, immutable"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: provinces)))
        }
        router.get("assets/map.js") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/javascript; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: source)))
        }
    }
}
