# Opens every HTML page of the built pkgdown site in headless Chromium and
# fails on a missing image, a broken internal link, a console error, an
# uncaught exception, a resource that failed to load, or any request that
# leaves the site (the site is meant to work offline). Used by `make site-check`.
#   Rscript tools/check-site.R [out/site]
# Needs Debian's chromium (bash tools/install-deps-site.sh) and jsonlite.
# Talks to Chromium over the DevTools protocol through --remote-debugging-pipe
# (commands on fd 3, replies on fd 4, each message ending in a NUL byte): two
# named pipes, no network port and no WebSocket client. Set CHROMIUM to use
# another browser binary; TB_SITE_TIMEOUT (seconds, default 60) bounds the wait
# for one page.
args <- commandArgs(trailingOnly = TRUE)
site <- normalizePath(if (length(args)) args[1] else "out/site", mustWork = TRUE)
timeout <- as.numeric(Sys.getenv("TB_SITE_TIMEOUT", "60"))
browser <- Sys.getenv("CHROMIUM")
if (!nzchar(browser)) {
  cand <- Sys.which(c("chromium", "chromium-browser", "google-chrome"))
  browser <- cand[nzchar(cand)][1]
}
if (is.na(browser) || !nzchar(browser))
  stop("no chromium found: run `bash tools/install-deps-site.sh` (as root) or set CHROMIUM")
if (!requireNamespace("jsonlite", quietly = TRUE)) stop("jsonlite is needed")
`%||%` <- function(x, y) if (is.null(x)) y else x
# exact, NULL-safe access into parsed protocol messages (`$` matches partially:
# d$exception would return d$exceptionId when there is no exception object)
g <- function(x, ...) {
  for (k in c(...)) {
    if (!is.list(x) || is.null(names(x)) || !(k %in% names(x))) return(NULL)
    x <- x[[k]]
  }
  x
}

pages <- sort(list.files(site, pattern = "\\.html$", recursive = TRUE))
# MathJax's own test pages are not part of the site
pages <- pages[!startsWith(pages, "mathjax/")]
if (!length(pages)) stop("no HTML pages in ", site, ": run `make site` first")

# ---- Chromium over a pipe ---------------------------------------------------
work <- tempfile("check-site-")
dir.create(work)
cmd_fifo <- file.path(work, "cmd")
out_fifo <- file.path(work, "out")
if (system2("mkfifo", c(shQuote(cmd_fifo), shQuote(out_fifo))) != 0) stop("mkfifo failed")
flags <- c("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--no-default-browser-check", "--disable-extensions",
           "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-default-apps", "--mute-audio",
           "--hide-scrollbars", "--window-size=1280,1024",
           # no name resolves: nothing can leave the machine even by mistake
           "--host-resolver-rules=MAP * ~NOTFOUND",
           paste0("--user-data-dir=", file.path(work, "profile")),
           "--remote-debugging-pipe", "about:blank")
log_file <- file.path(work, "chromium.log")
sh <- sprintf("exec %s %s 3<%s 4>%s 2>%s", shQuote(browser),
              paste(shQuote(flags), collapse = " "), shQuote(cmd_fifo),
              shQuote(out_fifo), shQuote(log_file))
pid_file <- file.path(work, "pid")
system2("sh", c("-c", shQuote(sprintf("%s & echo $! > %s", sh, shQuote(pid_file)))),
        wait = TRUE)
# the reader first (a non-blocking open needs no writer), then the writer,
# which waits until Chromium's shell has opened the pipe
rd <- fifo(out_fifo, "rb", blocking = FALSE)
wr <- fifo(cmd_fifo, "wb", blocking = TRUE)
browser_pid <- as.integer(readLines(pid_file))
# Called at the end. On an error Rscript exits, the pipes close and Chromium,
# which quits when its debugging pipe closes, goes with it.
cleanup <- function() {
  try(close(wr), silent = TRUE); try(close(rd), silent = TRUE)
  tools::pskill(browser_pid); Sys.sleep(0.3); tools::pskill(browser_pid, tools::SIGKILL)
  unlink(work, recursive = TRUE)
}

buf <- raw()
next_id <- 0L
events <- list()       # events not yet consumed
session <- NULL

cdp_read <- function() {
  # returns the complete messages available now (a list), reading what the pipe has
  chunk <- tryCatch(readBin(rd, "raw", 1048576L), error = function(e) raw())
  if (length(chunk)) buf <<- c(buf, chunk)
  msgs <- list()
  while (length(z <- which(buf == as.raw(0L))[1]) && !is.na(z)) {
    txt <- rawToChar(buf[seq_len(z - 1L)])
    buf <<- buf[-seq_len(z)]
    Encoding(txt) <- "UTF-8"
    msgs[[length(msgs) + 1L]] <- jsonlite::fromJSON(txt, simplifyVector = FALSE)
  }
  msgs
}
pump <- function(until, what) {
  # reads messages into `events` until until() is TRUE or the time is up
  t0 <- Sys.time()
  repeat {
    msgs <- cdp_read()
    if (length(msgs)) events <<- c(events, msgs)
    if (until()) return(invisible(TRUE))
    if (as.numeric(difftime(Sys.time(), t0, units = "secs")) > timeout)
      stop("Chromium did not answer within ", timeout, " s: ", what)
    if (!length(msgs)) Sys.sleep(0.02)
  }
}
cdp <- function(method, params = NULL, session_id = session) {
  next_id <<- next_id + 1L
  id <- next_id
  msg <- list(id = id, method = method)
  if (!is.null(params)) msg$params <- params
  if (!is.null(session_id)) msg$sessionId <- session_id
  txt <- jsonlite::toJSON(msg, auto_unbox = TRUE, null = "null")
  writeBin(c(charToRaw(enc2utf8(as.character(txt))), as.raw(0L)), wr)
  flush(wr)
  is_reply <- function(m) identical(g(m, "id"), id)
  pump(function() any(vapply(events, is_reply, NA)), method)
  k <- which(vapply(events, is_reply, NA))[1]
  reply <- events[[k]]
  events[[k]] <<- NULL
  if (!is.null(g(reply, "error")))
    stop(method, ": ", g(reply, "error", "message"))
  g(reply, "result")
}

target <- g(cdp("Target.createTarget", list(url = "about:blank")), "targetId")
session <- g(cdp("Target.attachToTarget", list(targetId = target, flatten = TRUE)),
             "sessionId")
for (m in c("Runtime.enable", "Log.enable", "Page.enable", "Network.enable")) cdp(m)

# ---- visit every page -------------------------------------------------------
problems <- character()
problem <- function(page, ...) problems <<- c(problems, paste0(page, ": ", ...))
# lazy images are made eager and awaited (5 s at most each) before they are judged
collect_js <- "(async () => {
  const imgs = Array.from(document.images);
  imgs.forEach(i => { if (i.loading === 'lazy') i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener('load', r); i.addEventListener('error', r); setTimeout(r, 5000); })));
  return JSON.stringify({
    images: imgs.map(i => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0})),
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    ids: Array.from(document.querySelectorAll('[id], a[name]')).map(e => e.id || e.name)
  });
})()"
file_url <- function(path) paste0("file://", utils::URLencode(path))
site_url <- file_url(site)
n_images <- 0L
links <- list()          # page -> absolute link targets
ids <- list()            # page -> element ids, for #fragment checks
requests <- character()  # requestId -> url, for failed loads

for (p in pages) {
  events <- list()
  url <- file_url(file.path(site, p))
  cdp("Page.navigate", list(url = url))
  is_load <- function(m) identical(g(m, "method"), "Page.loadEventFired")
  pump(function() any(vapply(events, is_load, NA)), paste("loading", p))
  # a short quiet period for scripts that run after load (MathJax, pkgdown.js)
  t_quiet <- Sys.time()
  while (as.numeric(difftime(Sys.time(), t_quiet, units = "secs")) < 0.5) {
    msgs <- cdp_read()
    if (length(msgs)) { events <- c(events, msgs); t_quiet <- Sys.time() }
    Sys.sleep(0.05)
  }
  res <- cdp("Runtime.evaluate", list(expression = collect_js, returnByValue = TRUE,
                                      awaitPromise = TRUE))
  val <- g(res, "result", "value")
  if (is.character(val)) {
    info <- jsonlite::fromJSON(val, simplifyVector = FALSE)
  } else {
    problem(p, "could not inspect the page: ",
            g(res, "exceptionDetails", "exception", "description") %||% "no value")
    info <- list()
  }
  for (e in events) {
    m <- g(e, "method")
    if (is.null(m)) next
    pr <- g(e, "params")
    if (m == "Network.requestWillBeSent") {
      u <- g(pr, "request", "url") %||% ""
      requests[g(pr, "requestId")] <- u
      if (!grepl("^(file|data|blob|about):", u))
        problem(p, "request leaves the site: ", u)
    } else if (m == "Network.loadingFailed") {
      u <- unname(requests[g(pr, "requestId") %||% ""])
      if (is.na(u)) u <- paste("request", g(pr, "requestId"))
      if (!grepl("^(https?):", u))  # external ones are reported above
        problem(p, "failed to load ", u, " (", g(pr, "errorText"), ")")
    } else if (m == "Runtime.exceptionThrown") {
      d <- g(pr, "exceptionDetails")
      problem(p, "uncaught exception: ",
              g(d, "exception", "description") %||% g(d, "exception", "value") %||%
                g(d, "text") %||% "?",
              if (!is.null(g(d, "url"))) paste0(" [", g(d, "url"), ":", g(d, "lineNumber"), "]"))
    } else if (m == "Runtime.consoleAPICalled" && isTRUE(g(pr, "type") %in% c("error", "assert"))) {
      problem(p, "console.", g(pr, "type"), ": ",
              paste(vapply(g(pr, "args") %||% list(), function(a)
                paste(format(g(a, "value") %||% g(a, "description") %||% ""), collapse = " "), ""),
                collapse = " "))
    } else if (m == "Log.entryAdded" && identical(g(pr, "entry", "level"), "error")) {
      problem(p, "console error (", g(pr, "entry", "source"), "): ", g(pr, "entry", "text"),
              if (!is.null(g(pr, "entry", "url"))) paste0(" [", g(pr, "entry", "url"), "]"))
    }
  }
  for (im in g(info, "images")) {
    n_images <- n_images + 1L
    if (!isTRUE(g(im, "ok"))) problem(p, "image missing or not loaded: ", g(im, "src"))
  }
  links[[p]] <- unlist(g(info, "links"))
  ids[[p]] <- unlist(g(info, "ids"))
}

# ---- internal links ---------------------------------------------------------
n_internal <- 0L
targets <- character()
for (p in pages) {
  for (href in links[[p]]) {
    if (!startsWith(href, "file://")) next   # external links are not followed
    n_internal <- n_internal + 1L
    targets <- c(targets, href)
    frag <- sub("^[^#]*#?", "", href)
    path <- utils::URLdecode(sub("^file://", "", sub("[?#].*$", "", href)))
    if (!startsWith(path, site)) { problem(p, "link leaves the site: ", href); next }
    if (dir.exists(path)) path <- file.path(path, "index.html")
    if (!file.exists(path)) { problem(p, "broken link: ", href); next }
    rel <- substring(normalizePath(path), nchar(site) + 2L)
    if (nzchar(frag) && rel %in% pages && !(utils::URLdecode(frag) %in% ids[[rel]]))
      problem(p, "broken anchor: ", href)
  }
}

cleanup()
cat(sprintf("check-site: %d pages, %d images, %d internal links (%d distinct targets) checked in %s\n",
            length(pages), n_images, n_internal, length(unique(targets)), site))
problems <- unique(problems)
if (length(problems)) {
  cat(sprintf("%d problem(s):\n", length(problems)))
  cat(paste0("  ", problems), sep = "\n")
  quit(status = 1L)
}
cat("no problems found\n")
