module imageurl.invalid/tools/gourl-oracle

go 1.24
