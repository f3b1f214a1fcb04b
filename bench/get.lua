-- A plain GET of the URL given to wrk; only the report is added.
dofile("bench/report.lua")
