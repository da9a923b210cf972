// French search: Sphinx's own French stemmer, each query word folded first as
// the index's words were (macrohard_docs.figures.folding.fold, ligatures=True).
// Sphinx puts this code, a search language's js_stemmer_code, into
// language_data.js, after MACROHARD_FOLDING_FR: that rule, written there by
// site/search_fr.py ({form, ligatures}).
var Stemmer = function () {
  var french = new FrenchStemmer();
  var rule = MACROHARD_FOLDING_FR;
  var ligatures = new RegExp(Object.keys(rule.ligatures).join("|"), "g");
  var spelled = function (letter) { return rule.ligatures[letter]; };
  this.stemWord = function (word) {
    var folded = word.normalize(rule.form).replace(/\p{M}/gu, "").replace(ligatures, spelled).toLowerCase();
    return french.stemWord(folded);
  };
};
