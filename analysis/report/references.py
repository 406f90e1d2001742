"""Works the methods text can cite, and the published schemes behind built-in dictionaries."""

REFERENCES = {
    "allan2002": "Allan, J. (Ed.). (2002). *Topic Detection and Tracking: Event-based "
    "Information Organization*. Kluwer.",
    "hubert1985": "Hubert, L., & Arabie, P. (1985). Comparing partitions. *Journal of "
    "Classification*, 2(1), 193–218.",
    "kitagawa1955": "Kitagawa, E. M. (1955). Components of a difference between two rates. "
    "*Journal of the American Statistical Association*, 50(272), 1168–1194.",
    "salton1988": "Salton, G., & Buckley, C. (1988). Term-weighting approaches in automatic "
    "text retrieval. *Information Processing & Management*, 24(5), 513–523.",
    "wilson1927": "Wilson, E. B. (1927). Probable inference, the law of succession, and "
    "statistical inference. *Journal of the American Statistical Association*, 22(158), "
    "209–212.",
    "agresti1992": "Agresti, A. (1992). A survey of exact inference for contingency tables. "
    "*Statistical Science*, 7(1), 131–153.",
    "bell2002": "Bell, R. M., & McCaffrey, D. F. (2002). Bias reduction in standard errors "
    "for linear regression with multi-stage samples. *Survey Methodology*, 28(2), 169–181.",
    "benjamini1995": "Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery "
    "rate: a practical and powerful approach to multiple testing. *Journal of the Royal "
    "Statistical Society B*, 57(1), 289–300.",
    "holm1979": "Holm, S. (1979). A simple sequentially rejective multiple test procedure. "
    "*Scandinavian Journal of Statistics*, 6(2), 65–70.",
    "bird2009": "Bird, S., Klein, E., & Loper, E. (2009). *Natural Language Processing with "
    "Python*. O'Reilly.",
    "boydstun2014": "Boydstun, A. E., Card, D., Gross, J. H., Resnik, P., & Smith, N. A. "
    "(2014). Tracking the development of media frames within and across policy issues. APSA "
    "2014 Annual Meeting.",
    "cochran1977": "Cochran, W. G. (1977). *Sampling Techniques* (3rd ed.). Wiley.",
    "efron1993": "Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. "
    "Chapman & Hall.",
    "fisher1922": "Fisher, R. A. (1922). On the interpretation of χ² from contingency "
    "tables, and the calculation of P. *Journal of the Royal Statistical Society*, 85(1), "
    "87–94.",
    "forman2008": "Forman, G. (2008). Quantifying counts and costs via classification. "
    "*Data Mining and Knowledge Discovery*, 17(2), 164–206.",
    "hopkins2010": "Hopkins, D. J., & King, G. (2010). A method of automated nonparametric "
    "content analysis for social science. *American Journal of Political Science*, 54(1), "
    "229–247.",
    "bella2010": "Bella, A., Ferri, C., Hernández-Orallo, J., & Ramírez-Quintana, M. J. "
    "(2010). Quantification via probability estimators. *IEEE International Conference on "
    "Data Mining*, 737–742.",
    "burscher2014": "Burscher, B., Odijk, D., Vliegenthart, R., de Rijke, M., & de Vreese, "
    "C. H. (2014). Teaching the computer to code frames in news: comparing two supervised "
    "machine learning approaches to frame analysis. *Communication Methods and Measures*, "
    "8(3), 190–206.",
    "grimmer2013": "Grimmer, J., & Stewart, B. M. (2013). Text as data: the promise and "
    "pitfalls of automatic content analysis methods for political texts. *Political "
    "Analysis*, 21(3), 267–297.",
    "hall1988": "Hall, P. (1988). On symmetric bootstrap confidence intervals. *Journal of "
    "the Royal Statistical Society B*, 50(1), 35–45.",
    "hardie2014": "Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for "
    "Corpus Approaches to Social Science (CASS).",
    "hutto2014": "Hutto, C. J., & Gilbert, E. (2014). VADER: A parsimonious rule-based model "
    "for sentiment analysis of social media text. *Proceedings of ICWSM*, 8(1), 216–225.",
    "krippendorff2004": "Krippendorff, K. (2004). *Content Analysis: An Introduction to Its "
    "Methodology* (2nd ed.). Sage.",
    "kiss2006": "Kiss, T., & Strunk, J. (2006). Unsupervised multilingual sentence boundary "
    "detection. *Computational Linguistics*, 32(4), 485–525.",
    "lijffijt2016": "Lijffijt, J., Nevalainen, T., Säily, T., Papapetrou, P., Puolamäki, K., "
    "& Mannila, H. (2016). Significance testing of word frequencies in corpora. *Digital "
    "Scholarship in the Humanities*, 31(2), 374–397.",
    "liu2019": "Liu, S., Guo, L., Mays, K., Betke, M., & Wijaya, D. T. (2019). Detecting "
    "frames in news headlines and its application to analyzing news framing trends "
    "surrounding U.S. gun violence. *Proceedings of CoNLL*, 504–514.",
    "monroe2008": "Monroe, B. L., Colaresi, M. P., & Quinn, K. M. (2008). Fightin' words: "
    "Lexical feature selection and evaluation for identifying the content of political "
    "conflict. *Political Analysis*, 16(4), 372–403.",
    "pedregosa2011": "Pedregosa, F., et al. (2011). Scikit-learn: Machine learning in Python. "
    "*Journal of Machine Learning Research*, 12, 2825–2830.",
    "virtanen2020": "Virtanen, P., et al. (2020). SciPy 1.0: fundamental algorithms for "
    "scientific computing in Python. *Nature Methods*, 17, 261–272.",
    "welch1947": "Welch, B. L. (1947). The generalization of 'Student's' problem when "
    "several different population variances are involved. *Biometrika*, 34(1–2), 28–35.",
    "blei2003": "Blei, D. M., Ng, A. Y., & Jordan, M. I. (2003). Latent Dirichlet allocation. "
    "*Journal of Machine Learning Research*, 3, 993–1022.",
    "lee1999": "Lee, D. D., & Seung, H. S. (1999). Learning the parts of objects by "
    "non-negative matrix factorization. *Nature*, 401, 788–791.",
    "bischof2012": "Bischof, J. M., & Airoldi, E. M. (2012). Summarizing topical content "
    "with word frequency and exclusivity. *Proceedings of the 29th International Conference "
    "on Machine Learning*, 201–208.",
    "bouma2009": "Bouma, G. (2009). Normalized (pointwise) mutual information in collocation "
    "extraction. *Proceedings of the Biennial GSCL Conference*, 31–40.",
    "roder2015": "Röder, M., Both, A., & Hinneburg, A. (2015). Exploring the space of topic "
    "coherence measures. *Proceedings of WSDM 2015*, 399–408.",
    "greene2014": "Greene, D., O'Callaghan, D., & Cunningham, P. (2014). How many topics? "
    "Stability analysis for topic models. *Machine Learning and Knowledge Discovery in "
    "Databases (ECML PKDD 2014)*, 498–513.",
    "chang2009": "Chang, J., Gerrish, S., Wang, C., Boyd-Graber, J., & Blei, D. M. (2009). "
    "Reading tea leaves: how humans interpret topic models. *Advances in Neural Information "
    "Processing Systems*, 22, 288–296.",
    "walter2019": "Walter, D., & Ophir, Y. (2019). News frame analysis: an inductive mixed-"
    "method computational approach. *Communication Methods and Measures*, 13(4), 248–266.",
    "blondel2008": "Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). "
    "Fast unfolding of communities in large networks. *Journal of Statistical Mechanics*, "
    "P10008.",
    "phipson2010": "Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be "
    "zero: calculating exact p-values when permutations are randomly drawn. *Statistical "
    "Applications in Genetics and Molecular Biology*, 9(1), 39.",
    "roberts2014": "Roberts, M. E., Stewart, B. M., Tingley, D., et al. (2014). Structural "
    "topic models for open-ended survey responses. *American Journal of Political Science*, "
    "58(4), 1064–1082.",
}
"""Every work the methods text can cite, by key; the text lists those it cites."""

DICTIONARY_REFERENCES = {
    "policy_frames": "boydstun2014",
    "gun_violence_frames": "liu2019",
}
"""Built-in dictionaries whose categories come from a published scheme."""
