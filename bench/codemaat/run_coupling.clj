;;; Runs code-maat's own coupling analysis (code-maat.analysis.logical-coupling/by-degree,
;;; loaded unchanged from a code-maat checkout) over "rev<TAB>entity" lines on stdin and
;;; prints its verbose result as tab-separated rows:
;;; entity, coupled, degree, average-revs, first-entity-revisions, second-entity-revisions, shared-revisions.
;;; Arguments: min-revs min-shared-revs min-coupling max-changeset-size
(require '[code-maat.analysis.logical-coupling :as lc]
         '[clojure.string :as str])

(let [[min-revs min-shared min-coupling max-changeset] (map #(Integer/parseInt %) *command-line-args*)
      rows (for [line (line-seq (java.io.BufferedReader. *in*))
                 :when (not (str/blank? line))
                 :let [[rev entity] (str/split line #"\t" 2)]]
             {:rev rev :entity entity})
      ds (incanter.core/dataset [:rev :entity] rows)
      options {:min-revs min-revs :min-shared-revs min-shared :min-coupling min-coupling :max-coupling 100
               :max-changeset-size max-changeset :verbose-results true}
      result (lc/by-degree ds options)]
  (doseq [r (:rows result)]
    (println (str/join "\t" (map #(get r %) [:entity :coupled :degree :average-revs :first-entity-revisions
                                            :second-entity-revisions :shared-revisions])))))
