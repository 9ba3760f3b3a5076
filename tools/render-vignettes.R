# Renders every vignette in vignettes/ to HTML in the output folder and copies
# each figure as a PNG there (out/<vignette>-<chunk>-<n>.png). Used by `make demo`.
args <- commandArgs(trailingOnly = TRUE)
out <- normalizePath(if (length(args)) args[1] else "out", mustWork = FALSE)
dir.create(out, showWarnings = FALSE, recursive = TRUE)
suppressPackageStartupMessages(library(threatbalance))
work <- tempfile("vignettes-")
dir.create(work)
invisible(file.copy(list.files("vignettes", full.names = TRUE), work, recursive = TRUE))
n_png <- 0L
for (f in list.files(work, pattern = "\\.Rmd$", full.names = TRUE)) {
  stem <- sub("\\.Rmd$", "", basename(f))
  t0 <- proc.time()[["elapsed"]]
  rmarkdown::render(f, output_dir = out, clean = FALSE, quiet = TRUE,
                    envir = new.env(parent = globalenv()))
  # with clean = FALSE the figures stay in <stem>_files/ beside the output
  fdirs <- file.path(c(work, out), paste0(stem, "_files"))
  figs <- list.files(fdirs, pattern = "\\.png$", recursive = TRUE, full.names = TRUE)
  file.copy(figs, file.path(out, paste0(stem, "-", basename(figs))), overwrite = TRUE)
  unlink(file.path(out, paste0(stem, "_files")), recursive = TRUE)
  n_png <- n_png + length(figs)
  cat(sprintf("%-32s %3d figures  %5.1f s\n", stem, length(figs),
              proc.time()[["elapsed"]] - t0))
}
cat(sprintf("wrote %d PNG files and the HTML vignettes to %s\n", n_png, out))
