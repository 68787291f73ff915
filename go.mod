module github.com/ebicart/ebicart

go 1.26
