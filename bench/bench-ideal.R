# Benchmark of ideal_points() (issue 14), all in one process:
#  1. all UN votes, ordinal model: CPU seconds (user + system, median of
#     BENCH_REPS runs), iterations, time per iteration and per vote and
#     E-step pass, peak memory above the data;
#  2. agreement with the published estimates (bsv_ideal_points): Pearson r
#     over all state-sessions, median and worst within-session r; the US,
#     Russia and China;
#  3. the binary model against emIRT::dynIRT on the same votes (skipped when
#     emIRT is not installed): CPU seconds, iterations, ratio, correlation;
#  4. 100 bootstrap replicates (BENCH_DRAWS) on all votes;
#  5. recovery of ideal points simulated from the model at UN size.
# Run: Rscript bench/bench-ideal.R (with threatbalance installed).

suppressPackageStartupMessages(library(threatbalance))
ns <- asNamespace("threatbalance")
reps <- as.integer(Sys.getenv("BENCH_REPS", "3"))
draws <- as.integer(Sys.getenv("BENCH_DRAWS", "100"))
fmt <- function(x, d = 3) formatC(x, digits = d, format = "g")
cpu <- function(s) s[["user.self"]] + s[["sys.self"]]

# peak R heap (Vcells + Ncells, MB) while f runs, above what was in use before
peak_mb <- function(f) {
  invisible(gc(reset = TRUE))
  before <- sum(gc()[, 2L])
  f()
  sum(gc()[, 6L]) - before
}

votes <- unga_votes
rollcalls <- unga_rollcalls
cat(sprintf("UN votes: %s votes, %s roll calls, sessions %d-%d (%d-%d)\n",
            format(nrow(votes), big.mark = ","), format(nrow(rollcalls), big.mark = ","),
            min(rollcalls$session), max(rollcalls$session),
            min(rollcalls$session) + 1945L, max(rollcalls$session) + 1945L))

# ---- 1. all votes, ordinal -----------------------------------------------
x <- ideal_points()                                   # warm-up (lazy data)
t_all <- vapply(seq_len(reps), function(i) cpu(system.time(ideal_points())), 0)
f <- attr(x, "fit")
# the C iterations alone, from the same design and start
data <- ns$tb_ideal_data(NULL, NULL)
rc <- ns$tb_ideal_sessions(data$rollcalls, NULL)
t_design <- cpu(system.time({
  d <- ns$tb_ideal_design(data$votes, rc, ns$tb_ideal_classes(rc, "text"), "ordinal", 2L)
  st <- ns$tb_ideal_start(d, 0.05)
}))
opts <- ns$tb_ideal_opts(500L, 1e-4, TRUE, 1, match(2L, d$state_ccode) - 1L)
t_c <- median(vapply(seq_len(reps), function(i) {
  cpu(system.time(.Call(ns$C_ffi_ideal_fit, d$design, st, opts)))
}, 0))
per_it <- t_c / f$iterations
mem <- peak_mb(function() ideal_points())
cat("\n1. All votes, ordinal model, text bridges\n")
cat(sprintf("   ideal_points(): %s CPU s (median of %d; runs %s); target <= 2.5 s\n",
            fmt(median(t_all)), reps, paste(fmt(t_all), collapse = ", ")))
cat(sprintf("   of which R preparation (design, classes, start) %s s, C iterations %s s\n",
            fmt(t_design), fmt(t_c)))
cat(sprintf("   %d iterations (converged: %s, last change %s); %s ms per iteration\n",
            f$iterations, f$converged, fmt(f$delta), fmt(1000 * per_it)))
cat(sprintf("   an iteration is 2 E-step passes over the votes plus the items, smoother and acceleration:\n"))
cat(sprintf("   %s ns per vote and pass at most (the floor of one E-step pass: %s ms)\n",
            fmt(1e9 * per_it / 2 / f$n_votes), fmt(1000 * per_it / 2)))
cat(sprintf("   peak memory above the data: %s MB (target <= 50); %s votes, %s classes (%d bridged, %d dropped), %s state-sessions\n",
            fmt(mem), format(f$n_votes, big.mark = ","), format(f$n_classes, big.mark = ","),
            f$bridged, f$dropped, format(nrow(x), big.mark = ",")))
cat(sprintf("   random-walk variance (estimated) %s\n", fmt(f$evolution)))

# ---- 2. published estimates ------------------------------------------------
m <- merge(x, bsv_ideal_points, by = c("ccode", "session"), suffixes = c("", "_bsv"))
within <- vapply(split(m, m$session), function(z) stats::cor(z$ideal, z$ideal_bsv), 0)
cat("\n2. Against the published estimates (Bailey, Strezhnev & Voeten, June 2024)\n")
cat(sprintf("   %s state-sessions in both, sessions %d-%d\n", format(nrow(m), big.mark = ","),
            min(m$session), max(m$session)))
cat(sprintf("   Pearson r over all state-sessions: %.4f (target >= 0.95)\n",
            stats::cor(m$ideal, m$ideal_bsv)))
cat(sprintf("   within-session r: median %.4f (target >= 0.98), mean %.4f, min %.4f\n",
            stats::median(within), mean(within), min(within)))
w <- sort(within)[1:5]
cat(sprintf("   worst sessions: %s\n", paste(sprintf("%s (%d) %.4f", names(w),
                                                   as.integer(names(w)) + 1945L, w),
                                           collapse = ", ")))
for (yr in c(1950, 1970, 1990, 2000, 2010, 2015, max(x$year))) {
  z <- x[x$year == yr, ]
  if (!nrow(z)) next
  g <- function(cc) { v <- z$ideal[z$ccode == cc]; if (length(v)) sprintf("%6.2f", v) else "    NA" }
  cat(sprintf("   %d: US %s  Russia %s  China %s  (range %.2f to %.2f; US rank %d of %d)\n", yr,
              g(2), g(365), g(710), min(z$ideal), max(z$ideal),
              sum(z$ideal >= z$ideal[z$ccode == 2]), nrow(z)))
}

# ---- 3. binary model against emIRT::dynIRT --------------------------------
cat("\n3. Binary model (yes/no, abstentions left out) against emIRT::dynIRT\n")
t_bin <- cpu(system.time(xb <- ideal_points(model = "binary", evolution = 0.03)))
fb <- attr(xb, "fit")
cat(sprintf("   ideal_points(model = \"binary\", evolution = 0.03): %s CPU s, %d iterations (tol 1e-4)\n",
            fmt(t_bin), fb$iterations))
if (requireNamespace("emIRT", quietly = TRUE)) {
  # the same votes: yes 1, no -1, abstention and absence 0; one bill per roll
  # call (dynIRT has no bridging), legislators = states, periods = sessions
  db <- ns$tb_ideal_design(data$votes, rc, seq_len(nrow(rc)), "binary", 2L)
  pos <- match(votes$rcid, rc$rcid)
  yes_no <- !is.na(pos) & votes$vote != 2L
  sess <- sort(unique(rc$session))
  st_row <- match(votes$ccode[yes_no], db$state_ccode)
  rcm <- matrix(0, length(db$state_ccode), nrow(rc))
  rcm[cbind(st_row, pos[yes_no])] <- ifelse(votes$vote[yes_no] == 1L, 1, -1)
  used <- sort(unique(pos[yes_no]))
  used <- used[order(rc$session[used])]         # dynIRT needs bills in session order
  rcm <- rcm[, used]
  bill_s <- match(rc$session[used], sess) - 1
  s_first <- tapply(db$ss_session, match(db$ss_ccode, db$state_ccode), min)
  s_last <- tapply(db$ss_session, match(db$ss_ccode, db$state_ccode), max)
  x0 <- db$m0
  xs <- matrix(0, nrow(rcm), length(sess))
  xs[cbind(match(db$ss_ccode, db$state_ccode), match(db$ss_session, sess))] <- x0
  # starting slopes: each roll call's covariance of votes with the start
  xb0 <- xs[, bill_s + 1L, drop = FALSE]
  beta0 <- colSums(rcm * xb0) / pmax(colSums((rcm != 0) * xb0^2), 1e-8)
  alpha0 <- colSums(rcm) / pmax(colSums(rcm != 0), 1)
  N <- nrow(rcm)
  edata <- list(rc = rcm, startlegis = matrix(match(s_first, sess) - 1, N),
                endlegis = matrix(match(s_last, sess) - 1, N),
                bill.session = matrix(bill_s, ncol = 1), T = as.double(length(sess)))
  starts <- list(alpha = matrix(alpha0, ncol = 1), beta = matrix(beta0, ncol = 1), x = xs)
  priors <- list(x.mu0 = matrix(0, N), x.sigma0 = matrix(1, N), beta.mu = matrix(0, 2),
                 beta.sigma = diag(25, 2), omega2 = matrix(0.03, N))
  ctrl <- list(threads = 1L, verbose = FALSE, thresh = 1e-6, maxit = 500L, checkfreq = 50L)
  t_dyn <- cpu(system.time(out <- emIRT::dynIRT(.data = edata, .starts = starts,
                                                 .priors = priors, .control = ctrl)))
  ex <- out$means$x
  ours <- xb[, c("ccode", "session", "ideal")]
  key <- cbind(match(ours$ccode, db$state_ccode), match(ours$session, sess))
  r_dyn <- stats::cor(ours$ideal, ex[key])
  mb <- merge(data.frame(ccode = db$state_ccode[key[, 1]], session = sess[key[, 2]],
                         dyn = ex[key]), bsv_ideal_points, by = c("ccode", "session"))
  cat(sprintf("   emIRT::dynIRT (thresh 1e-6, maxit 500, 1 thread): %s CPU s, %s iterations\n",
              fmt(t_dyn), format(out$runtime$iters)))
  cat(sprintf("   ratio dynIRT / ours: %.1fx (target >= 2)\n", t_dyn / t_bin))
  cat(sprintf("   |r| between the two binary fits: %.4f; dynIRT against the published: %.4f; ours (binary): %.4f\n",
              abs(r_dyn), abs(stats::cor(mb$dyn, mb$ideal)),
              stats::cor(merge(xb, bsv_ideal_points, by = c("ccode", "session"))[, c("ideal.x", "ideal.y")])[1, 2]))
} else {
  cat("   emIRT is not installed: ratio skipped\n")
}

# ---- 4. bootstrap ----------------------------------------------------------
cat(sprintf("\n4. Parametric bootstrap, %d replicates, all votes\n", draws))
t_boot <- cpu(system.time(xbt <- ideal_points(se = "bootstrap", draws = draws, seed = 1)))
fbt <- attr(xbt, "fit")
cat(sprintf("   %s CPU s in all (the fit included; target <= 150 s); replicates: %s iterations on average, %d of %d converged\n",
            fmt(t_boot), fmt(mean(fbt$boot_iterations)), sum(fbt$boot_converged), draws))
cat(sprintf("   standard errors: median %s, 90%% %s; US 2015 %s, Russia 2015 %s, China 2015 %s\n",
            fmt(stats::median(xbt$se)), fmt(stats::quantile(xbt$se, 0.9)),
            fmt(xbt$se[xbt$ccode == 2 & xbt$year == 2015]),
            fmt(xbt$se[xbt$ccode == 365 & xbt$year == 2015]),
            fmt(xbt$se[xbt$ccode == 710 & xbt$year == 2015])))

# ---- 5. recovery at UN size -------------------------------------------------
cat("\n5. Recovery: votes simulated from the model at UN size\n")
set.seed(14)
sim_un <- function(nstate = 190, nsess = 75, nitem = 80, nbridge = 15, omega2 = 0.03) {
  cc <- sort(unique(states$ccode))
  cc <- c(2L, setdiff(cc, 2L)[seq_len(nstate - 1L)])
  th <- matrix(0, nstate, nsess)
  th[, 1] <- stats::rnorm(nstate)
  th[1, 1] <- abs(th[1, 1]) + 1
  for (t in 2:nsess) th[, t] <- th[, t - 1] + stats::rnorm(nstate, 0, sqrt(omega2))
  entry <- sample(1:30, nstate, replace = TRUE) * (stats::runif(nstate) < 0.6) + 1L
  for (i in seq_len(nstate)) if (entry[i] > 1L) th[i, seq_len(min(nsess, entry[i] - 1L))] <- NA
  bb <- stats::rnorm(nbridge, 0, 1.2); b1 <- stats::rnorm(nbridge, -0.3, 0.6)
  bg <- stats::runif(nbridge, 0.3, 1.2)
  rcl <- vl <- vector("list", nsess)
  for (t in seq_len(nsess)) {
    nn <- nitem - nbridge
    b <- c(bb, stats::rnorm(nn, 0, 1.2)); t1 <- c(b1, stats::rnorm(nn, -0.3, 0.6))
    t2 <- t1 + c(bg, stats::runif(nn, 0.3, 1.2))
    here <- which(!is.na(th[, t]))
    z <- outer(b, th[here, t]) + matrix(stats::rnorm(nitem * length(here)), nitem)
    y <- ifelse(z <= t1, 1L, ifelse(z <= t2, 2L, 3L))
    keep <- matrix(stats::runif(length(z)) > 0.08, nitem)
    rcid <- (t - 1L) * nitem + seq_len(nitem)
    rcl[[t]] <- data.frame(rcid = rcid, session = t, descr = NA_character_,
                           short = c(sprintf("BRIDGE %d", seq_len(nbridge)),
                                     sprintf("ITEM %d %d", t, seq_len(nn))),
                           stringsAsFactors = FALSE)
    vl[[t]] <- data.frame(rcid = rep(rcid, length(here))[keep],
                          ccode = rep(cc[here], each = nitem)[keep], vote = y[keep])
  }
  truth <- data.frame(ccode = rep(cc, nsess), session = rep(seq_len(nsess), each = nstate),
                      theta = as.vector(th))
  list(votes = do.call(rbind, vl), rollcalls = do.call(rbind, rcl),
       truth = truth[!is.na(truth$theta), ])
}
sim <- sim_un()
t_sim <- cpu(system.time(xs <- ideal_points(votes = sim$votes, rollcalls = sim$rollcalls,
                                            anchor = 2)))
ms <- merge(xs, sim$truth, by = c("ccode", "session"))
it <- attr(xs, "fit")$items
cat(sprintf("   %s votes, %d states, %d sessions: r(estimate, truth) = %.4f (target >= 0.98); within-session median r %.4f\n",
            format(nrow(sim$votes), big.mark = ","), length(unique(sim$votes$ccode)),
            length(unique(sim$rollcalls$session)), stats::cor(ms$ideal, ms$theta),
            stats::median(vapply(split(ms, ms$session), function(z) stats::cor(z$ideal, z$theta), 0))))
cat(sprintf("   cutpoints ordered in every class: %s; %d iterations, %s CPU s\n",
            all(it$cut2 > it$cut1, na.rm = TRUE), attr(xs, "fit")$iterations, fmt(t_sim)))
