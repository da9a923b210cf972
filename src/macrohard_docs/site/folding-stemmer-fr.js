// French search: the same folding as macrohard_docs.figures.folding.fold (ligatures=True), in the
// browser, wrapped around Sphinx's own French stemmer (Sphinx puts this code,
// a search language's js_stemmer_code, into language_data.js).
var Stemmer = function () {
  var french = new FrenchStemmer();
  this.stemWord = function (word) {
    var folded = word.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/œ/g, "oe").replace(/æ/g, "ae");
    return french.stemWord(folded);
  };
};
