"""Archive-wide decisions: what the whole archive says about a name or a tag.

An article alone cannot tell whether "Bush" is George W Bush, whether "Oscar" is a
person, or whether "work" is a topic. These modules look at every article at once:

* `names`: one canonical name per person and place (spellings, middle names and initials,
  short first names, a surname alone, country variants) and the editors' aliases;
* `kinds`: whether each name is a person, a place or an organization, or doubtful;
* `pages`: both of those, as a build applies them to the articles it renders;
* `review`: the review queue of what the build is least sure of (`build.py review`);
* `tags`: each article's tags, chosen at ingest with the whole archive's phrases in view.

Names and kinds are decided at build time from the content files, so an editor's alias
or a fixed name needs no re-ingest; tags are decided at ingest and written to front matter.
"""
