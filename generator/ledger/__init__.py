"""The ledger round trip (整改台账): one row per problem out to a spreadsheet, edited cells back
into the item blocks of the Markdown files, nothing else in them changed."""
