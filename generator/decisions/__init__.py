"""Archive-wide decisions: what the whole archive says about a name or a tag.

An article alone cannot tell whether "Bush" is George W Bush, whether "Oscar" is a
person, or whether "work" is a topic. These modules look at every article at once:
`names` (one canonical name per person and place, editors' aliases).
"""
