"""Reshaping: melt, pivot, pivot_table, crosstab, cut/qcut binning, explode, stack/unstack."""
