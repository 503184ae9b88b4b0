;;; A stand-in for the few Incanter functions code-maat's coupling analysis calls
;;; (Incanter lives on Clojars, which bench/coupling_agreement.py may not reach).
;;; A dataset is {:column-names [...] :rows [{column value}]}, as in Incanter; the
;;; functions return what Incanter 1.5.7 returns for the same calls, including the
;;; quirk code-maat works around: selecting one column of a one-row dataset gives
;;; the value itself, not a sequence.
(ns incanter.core)

(defn dataset
  [column-names rows]
  {:column-names (vec column-names)
   :rows (vec (map (fn [row] (if (map? row) row (zipmap column-names row))) rows))})

(defn to-dataset [rows] (dataset (keys (first rows)) rows))

(defn nrow [ds] (count (:rows ds)))

(defn $
  [cols ds]
  (if (coll? cols)
    (dataset cols (map #(select-keys % cols) (:rows ds)))
    (let [values (map #(get % cols) (:rows ds))]
      (if (= 1 (count values)) (first values) values))))

(defn $group-by
  [col ds]
  (let [cols (if (coll? col) col [col])]
    (into {} (for [[k rows] (group-by #(select-keys % cols) (:rows ds))]
               [k (dataset (:column-names ds) rows)]))))

(defn $where [pred ds] (dataset (:column-names ds) (filter pred (:rows ds))))

(defn $order
  [cols order ds]
  (let [cols (if (coll? cols) cols [cols])
        key-fn (fn [row] (vec (map #(get row %) cols)))
        sorted (sort-by key-fn (:rows ds))]
    (dataset (:column-names ds) (if (= order :desc) (reverse sorted) sorted))))
