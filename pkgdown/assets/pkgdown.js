/* threatbalance's pkgdown.js: replaces pkgdown's, which needs headroom.js,
   bootstrap-toc, clipboard.js, mark.js, fuse.js and autocomplete.js from
   content delivery networks. This one needs only jQuery and Bootstrap 5
   (bundled by bslib), so the site works offline: a table of contents built
   here, tooltips and popovers; no search box (see extra.css). */
(function($) {
  $(function() {
    /* "On this page": links to the h2/h3 headings of the main column */
    var $toc = $("#toc");
    if ($toc.length) {
      var $ul = $('<ul class="nav nav-pills flex-column"></ul>');
      $("main h2, main h3").each(function() {
        var $h = $(this);
        if ($h.is("[data-toc-skip]") || $h.closest(".page-header").length) return;
        var id = $h.attr("id") || $h.closest("[id]").attr("id");
        if (!id) return;
        var text = $h.clone().children(".anchor").remove().end().text().trim();
        var $a = $('<a class="nav-link"></a>').attr("href", "#" + id).text(text);
        var $li = $('<li class="nav-item"></li>').append($a);
        if (this.tagName === "H3") $a.addClass("ms-3");
        $ul.append($li);
      });
      if ($ul.children().length) $toc.append($ul); else $toc.closest("aside").hide();
    }

    if (window.bootstrap) {
      document.querySelectorAll('[data-bs-toggle="popover"]').forEach(function(el) {
        new bootstrap.Popover(el, { container: "body", html: true, trigger: "focus",
                                    placement: "top", sanitize: false });
      });
      document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function(el) {
        new bootstrap.Tooltip(el);
      });
    }
  });
})(window.jQuery);
