<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>CatalogTab</name>
    <message>
        <source>Reading the institution&apos;s catalog…</source>
        <translation>Lecture du catalogue de l&apos;établissement…</translation>
    </message>
    <message>
        <source>This laptop is not enrolled with an institution, so it has no catalog. Enrol it in the Sync tab; until then, install packs from a USB stick in the Packs tab.</source>
        <translation>Cet ordinateur n&apos;est inscrit auprès d&apos;aucun établissement, il n&apos;a donc pas de catalogue. Inscrivez-le dans l&apos;onglet Synchronisation ; en attendant, installez les paquets depuis une clé USB dans l&apos;onglet Paquets.</translation>
    </message>
    <message>
        <source>No catalog from {0} yet: {1}</source>
        <translation>Pas encore de catalogue de {0}&#xa0;: {1}</translation>
    </message>
    <message>
        <source>press Refresh to ask the hub for it.</source>
        <translation>appuyez sur Actualiser pour le demander au serveur.</translation>
    </message>
    <message>
        <source>The hub could not give a new catalog ({0}). This is the last one it sent.</source>
        <translation>Le serveur n&apos;a pas pu fournir de nouveau catalogue ({0}). Voici le dernier qu&apos;il a envoyé.</translation>
    </message>
    <message>
        <source>The catalog of {0} expired on {1}. Packs already installed keep working; new downloads wait until the institution renews its catalog.</source>
        <translation>Le catalogue de {0} a expiré le {1}. Les paquets déjà installés continuent de fonctionner ; les nouveaux téléchargements attendront que l&apos;établissement renouvelle son catalogue.</translation>
    </message>
    <message>
        <source>Catalog version {0} from {1}, issued {2}, valid until {3}.</source>
        <translation>Catalogue version {0} de {1}, publié le {2}, valable jusqu&apos;au {3}.</translation>
    </message>
    <message>
        <source>It lists no packs yet: the institution has not published any.</source>
        <translation>Il ne contient encore aucun paquet&#xa0;: l&apos;établissement n&apos;en a publié aucun.</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>Not installed</source>
        <translation>Non installé</translation>
    </message>
    <message>
        <source>{0} installed; update offered</source>
        <translation>{0} installée ; mise à jour proposée</translation>
    </message>
    <message>
        <source>Installed, up to date</source>
        <translation>Installé, à jour</translation>
    </message>
    <message>
        <source>A newer version ({0}) is installed</source>
        <translation>Une version plus récente ({0}) est installée</translation>
    </message>
    <message>
        <source>Download and install</source>
        <translation>Télécharger et installer</translation>
    </message>
    <message>
        <source>Download and install {0}</source>
        <translation>Télécharger et installer {0}</translation>
    </message>
    <message>
        <source>The catalog has expired: new downloads wait until the institution renews it.</source>
        <translation>Le catalogue a expiré&#xa0;: les nouveaux téléchargements attendront que l&apos;établissement le renouvelle.</translation>
    </message>
    <message>
        <source>Downloading {0}…</source>
        <translation>Téléchargement de {0}…</translation>
    </message>
    <message>
        <source>Downloading and installing {0}</source>
        <translation>Téléchargement et installation de {0}</translation>
    </message>
    <message>
        <source>{0} version {1} is already installed; nothing was downloaded.</source>
        <translation>{0} version {1} est déjà installé ; rien n&apos;a été téléchargé.</translation>
    </message>
    <message>
        <source>Installed {0} {1} (version {2}) from the institution&apos;s catalog.</source>
        <translation>{0} {1} (version {2}) installé depuis le catalogue de l&apos;établissement.</translation>
    </message>
    <message>
        <source>The download resumed where an earlier one stopped.</source>
        <translation>Le téléchargement a repris là où le précédent s&apos;était arrêté.</translation>
    </message>
    <message>
        <source>Nothing was installed.</source>
        <translation>Rien n&apos;a été installé.</translation>
    </message>
    <message>
        <source>Packs from the institution</source>
        <translation>Paquets de l&apos;établissement</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Installé</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>On this laptop</source>
        <translation>Sur cet ordinateur</translation>
    </message>
    <message>
        <source>C&amp;atalog</source>
        <translation>C&amp;atalogue</translation>
    </message>
    <message>
        <source>Packs your institution offers to this laptop. Each one is checked like a pack from a USB stick before it is installed, and a cut-off download resumes where it stopped.</source>
        <translation>Les paquets que votre établissement propose à cet ordinateur. Chacun est vérifié comme un paquet venant d&apos;une clé USB avant d&apos;être installé, et un téléchargement interrompu reprend là où il s&apos;était arrêté.</translation>
    </message>
    <message>
        <source>Packs in the institution&apos;s catalog</source>
        <translation>Paquets du catalogue de l&apos;établissement</translation>
    </message>
    <message>
        <source>&amp;Refresh catalog</source>
        <translation>Actualise&amp;r le catalogue</translation>
    </message>
    <message>
        <source>Ask the hub for its catalog again</source>
        <translation>Redemander son catalogue au serveur</translation>
    </message>
</context>
<context>
    <name>Certificate</name>
    <message>
        <source>This credential was revoked by your institution, so no certificate or badge is made for it.</source>
        <translation>Cette certification a été révoquée par votre établissement ; aucun certificat ni badge n&apos;est donc produit pour elle.</translation>
    </message>
    <message>
        <source>Ask your institution if you think this is a mistake.</source>
        <translation>Adressez-vous à votre établissement si vous pensez qu&apos;il s&apos;agit d&apos;une erreur.</translation>
    </message>
    <message>
        <source>The folder {0} does not exist.</source>
        <translation>Le dossier {0} n&apos;existe pas.</translation>
    </message>
    <message>
        <source>Choose another place to save the file.</source>
        <translation>Choisissez un autre emplacement pour enregistrer le fichier.</translation>
    </message>
    <message>
        <source>{0} cannot be written ({1}).</source>
        <translation>Impossible d&apos;écrire {0} ({1}).</translation>
    </message>
    <message>
        <source>Check that the folder is writable and has free space, then try again.</source>
        <translation>Vérifiez que le dossier est accessible en écriture et qu&apos;il reste de la place, puis réessayez.</translation>
    </message>
    <message>
        <source>Certificate: {0}</source>
        <translation>Certificat&#xa0;: {0}</translation>
    </message>
    <message>
        <source>the PDF could not be started</source>
        <translation>le PDF n&apos;a pas pu être commencé</translation>
    </message>
    <message>
        <source>the image could not be encoded</source>
        <translation>l&apos;image n&apos;a pas pu être encodée</translation>
    </message>
    <message>
        <source>MICRO-CREDENTIAL</source>
        <translation>MICRO-CERTIFICATION</translation>
    </message>
    <message>
        <source>Certificate of achievement</source>
        <translation>Certificat de réussite</translation>
    </message>
    <message>
        <source>This certifies that</source>
        <translation>Nous certifions que</translation>
    </message>
    <message>
        <source>has earned the micro-credential</source>
        <translation>a obtenu la micro-certification</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>Délivrée par</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>Délivrée le</translation>
    </message>
    <message>
        <source>Credential id</source>
        <translation>Identifiant de la certification</translation>
    </message>
    <message>
        <source>An Open Badges 3.0 verifiable credential, digitally signed by the issuer.</source>
        <translation>Une certification vérifiable Open Badges 3.0, signée numériquement par l&apos;émetteur.</translation>
    </message>
    <message>
        <source>Scan to verify with the issuer</source>
        <translation>Scannez pour vérifier auprès de l&apos;émetteur</translation>
    </message>
    <message>
        <source>Verify at {0}</source>
        <translation>Vérifier sur {0}</translation>
    </message>
    <message>
        <source>Verify the credential&apos;s JSON file with the issuer&apos;s published keys.</source>
        <translation>Vérifiez le fichier JSON de la certification avec les clés publiées par l&apos;émetteur.</translation>
    </message>
</context>
<context>
    <name>ChoiceAnswer</name>
    <message>
        <source>Choose one or more options first (press their numbers or letters).</source>
        <translation>Choisissez d&apos;abord une ou plusieurs options (appuyez sur leurs numéros ou leurs lettres).</translation>
    </message>
    <message>
        <source>Choose an answer first (press its number or letter).</source>
        <translation>Choisissez d&apos;abord une réponse (appuyez sur son numéro ou sa lettre).</translation>
    </message>
    <message>
        <source>Option {0}: {1}</source>
        <translation>Option {0}&#xa0;: {1}</translation>
    </message>
</context>
<context>
    <name>CreateLearnerDialog</name>
    <message>
        <source>New learner</source>
        <translation>Nouvel apprenant</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>The name you want to see</source>
        <translation>Le nom que vous voulez voir</translation>
    </message>
    <message>
        <source>Colour: {0}</source>
        <translation>Couleur&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Initials</source>
        <translation>Initiales</translation>
    </message>
    <message>
        <source>Picture: {0}</source>
        <translation>Image&#xa0;: {0}</translation>
    </message>
    <message>
        <source>PIN (optional)</source>
        <translation>Code PIN (facultatif)</translation>
    </message>
    <message>
        <source>4 to 8 digits, or leave empty</source>
        <translation>4 à 8 chiffres, ou laisser vide</translation>
    </message>
    <message>
        <source>Repeat the PIN</source>
        <translation>Répéter le code PIN</translation>
    </message>
    <message>
        <source>Institution id (optional)</source>
        <translation>Identifiant dans l&apos;établissement (facultatif)</translation>
    </message>
    <message>
        <source>Optional: your student or staff number</source>
        <translation>Facultatif&#xa0;: votre numéro d&apos;étudiant ou d&apos;employé</translation>
    </message>
    <message>
        <source>A PIN keeps your answers and progress private on a shared laptop.</source>
        <translation>Un code PIN protège vos réponses et votre progression sur un ordinateur partagé.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>Colour:</source>
        <translation>Couleur&#xa0;:</translation>
    </message>
    <message>
        <source>Picture:</source>
        <translation>Image&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;PIN:</source>
        <translation>Code &amp;PIN&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Repeat PIN:</source>
        <translation>&amp;Répéter le code PIN&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Institution id:</source>
        <translation>&amp;Identifiant dans l&apos;établissement&#xa0;:</translation>
    </message>
    <message>
        <source>Create profile</source>
        <translation>Créer le profil</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Type a name for the profile.</source>
        <translation>Saisissez un nom pour le profil.</translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>Un code PIN compte 4 à 8 chiffres.</translation>
    </message>
    <message>
        <source>The two PINs are not the same. Type the PIN again in both boxes.</source>
        <translation>Les deux codes PIN ne sont pas identiques. Saisissez de nouveau le code PIN dans les deux champs.</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <source>Your progress</source>
        <translation>Votre progression</translation>
    </message>
    <message>
        <source>Progress toward your credentials</source>
        <translation>Progression vers vos certifications</translation>
    </message>
    <message>
        <source>Choose your profile to see your progress.</source>
        <translation>Choisissez votre profil pour voir votre progression.</translation>
    </message>
    <message>
        <source>Credentials</source>
        <translation>Certifications</translation>
    </message>
    <message>
        <source>Pathways (stacked credentials)</source>
        <translation>Parcours (certifications cumulables)</translation>
    </message>
    <message>
        <source>No installed course offers a credential yet. Ask the technician to install a course pack.</source>
        <translation>Aucun cours installé ne propose encore de certification. Demandez au technicien d&apos;installer un paquet de cours.</translation>
    </message>
    <message>
        <source>Held — issued by your institution (earned {0})</source>
        <translation>Détenue — délivrée par votre établissement (obtenue le {0})</translation>
    </message>
    <message>
        <source>Revoked by your institution</source>
        <translation>Révoquée par votre établissement</translation>
    </message>
    <message>
        <source>Earned — awaiting verification, {0}</source>
        <translation>Obtenue — en attente de vérification, {0}</translation>
    </message>
    <message>
        <source>{0}% done</source>
        <translation>{0} % fait</translation>
    </message>
    <message>
        <source>{0}%</source>
        <translation>{0} %</translation>
    </message>
    <message>
        <source>Progress toward {0}</source>
        <translation>Progression vers {0}</translation>
    </message>
    <message>
        <source>✓ {0} — held (issued by your institution)</source>
        <translation>✓ {0} — détenue (délivrée par votre établissement)</translation>
    </message>
    <message>
        <source>✓ {0} — earned, awaiting verification</source>
        <translation>✓ {0} — obtenue, en attente de vérification</translation>
    </message>
    <message>
        <source>{0} — its course is not installed on this laptop</source>
        <translation>{0} — son cours n&apos;est pas installé sur cet ordinateur</translation>
    </message>
    <message>
        <source>{0} — {1}% done, about {2} hours left</source>
        <translation>{0} — {1}&#xa0;% fait, environ {2} heures restantes</translation>
    </message>
    <message>
        <source>{0} — {1}% done</source>
        <translation>{0} — {1} % fait</translation>
    </message>
    <message>
        <source>Lessons done: {0} of {1} · Quizzes passed: {2} of {3}</source>
        <translation>Leçons terminées&#xa0;: {0} sur {1} · Quiz réussis&#xa0;: {2} sur {3}</translation>
    </message>
    <message>
        <source>Parts: {0} of {1} earned</source>
        <translation>Éléments&#xa0;: {0} sur {1} obtenus</translation>
    </message>
    <message>
        <source>About {0} hours left</source>
        <translation>Environ {0} heures restantes</translation>
    </message>
    <message>
        <source>Counts toward: {0}</source>
        <translation>Compte pour&#xa0;: {0}</translation>
    </message>
</context>
<context>
    <name>DiskTab</name>
    <message>
        <source>Everything mcdesk keeps on this laptop is in its data folder.</source>
        <translation>Tout ce que mcdesk conserve sur cet ordinateur se trouve dans son dossier de données.</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>Dossier de données&#xa0;:</translation>
    </message>
    <message>
        <source>Installed packs:</source>
        <translation>Paquets installés&#xa0;:</translation>
    </message>
    <message>
        <source>Database (learners and progress):</source>
        <translation>Base de données (apprenants et progression)&#xa0;:</translation>
    </message>
    <message>
        <source>Database backups:</source>
        <translation>Sauvegardes de la base de données&#xa0;:</translation>
    </message>
    <message>
        <source>Logs:</source>
        <translation>Journaux&#xa0;:</translation>
    </message>
    <message>
        <source>Total used by mcdesk:</source>
        <translation>Total utilisé par mcdesk&#xa0;:</translation>
    </message>
    <message>
        <source>Free space on this disk:</source>
        <translation>Espace libre sur ce disque&#xa0;:</translation>
    </message>
    <message>
        <source>Measure &amp;again</source>
        <translation>&amp;Mesurer à nouveau</translation>
    </message>
    <message>
        <source>Measure the disk use again</source>
        <translation>Mesurer à nouveau l&apos;occupation du disque</translation>
    </message>
</context>
<context>
    <name>LearnerCardsPage</name>
    <message>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
</context>
<context>
    <name>LearnersAdmin</name>
    <message>
        <source>Learners on this laptop</source>
        <translation>Apprenants sur cet ordinateur</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>Institution id</source>
        <translation>Identifiant dans l&apos;établissement</translation>
    </message>
    <message>
        <source>Last active</source>
        <translation>Dernière activité</translation>
    </message>
    <message>
        <source>Choose a learner in the list.</source>
        <translation>Choisissez un apprenant dans la liste.</translation>
    </message>
    <message>
        <source>Institution id of the chosen learner</source>
        <translation>Identifiant dans l&apos;établissement de l&apos;apprenant choisi</translation>
    </message>
    <message>
        <source>Student or staff number at the institution</source>
        <translation>Numéro d&apos;étudiant ou d&apos;employé dans l&apos;établissement</translation>
    </message>
    <message>
        <source>Save institution id</source>
        <translation>Enregistrer l&apos;identifiant</translation>
    </message>
    <message>
        <source>Reset PIN…</source>
        <translation>Réinitialiser le code PIN…</translation>
    </message>
    <message>
        <source>Reset the chosen learner&apos;s PIN</source>
        <translation>Réinitialiser le code PIN de l&apos;apprenant choisi</translation>
    </message>
    <message>
        <source>Remove learner…</source>
        <translation>Retirer l&apos;apprenant…</translation>
    </message>
    <message>
        <source>Remove the chosen learner</source>
        <translation>Retirer l&apos;apprenant choisi</translation>
    </message>
    <message>
        <source>Institution id:</source>
        <translation>Identifiant dans l&apos;établissement&#xa0;:</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <source>Chosen: {0}</source>
        <translation>Choisi&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Learners</source>
        <translation>Apprenants</translation>
    </message>
    <message>
        <source>Technician mode is closed. Open the technician tools again with the passphrase.</source>
        <translation>Le mode technicien est fermé. Rouvrez les outils du technicien avec la phrase de passe.</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>Réinitialiser le code PIN</translation>
    </message>
    <message>
        <source>Reset the PIN of {0}?</source>
        <translation>Réinitialiser le code PIN de {0}&#x202f;?</translation>
    </message>
    <message>
        <source>Their profile will open without a PIN until they set a new one.</source>
        <translation>Son profil s&apos;ouvrira sans code PIN jusqu&apos;à ce qu&apos;un nouveau code soit choisi.</translation>
    </message>
    <message>
        <source>The PIN of {0} was removed.</source>
        <translation>Le code PIN de {0} a été supprimé.</translation>
    </message>
    <message>
        <source>Remove learner</source>
        <translation>Retirer l&apos;apprenant</translation>
    </message>
    <message>
        <source>Remove {0} from this laptop?</source>
        <translation>Retirer {0} de cet ordinateur&#x202f;?</translation>
    </message>
    <message>
        <source>Their progress, quiz answers and earned credentials on this laptop are deleted too. This cannot be undone.</source>
        <translation>Sa progression, ses réponses aux quiz et ses certifications obtenues sur cet ordinateur seront aussi supprimées. Cette action est irréversible.</translation>
    </message>
    <message>
        <source>Remove {0}</source>
        <translation>Retirer {0}</translation>
    </message>
    <message>
        <source>{0} was removed from this laptop.</source>
        <translation>{0} a été retiré de cet ordinateur.</translation>
    </message>
    <message>
        <source>Institution id of {0} saved.</source>
        <translation>Identifiant dans l&apos;établissement de {0} enregistré.</translation>
    </message>
</context>
<context>
    <name>LessonBrowser</name>
    <message>
        <source>Lesson text</source>
        <translation>Texte de la leçon</translation>
    </message>
</context>
<context>
    <name>LibraryView</name>
    <message>
        <source>Continue where you stopped</source>
        <translation>Reprendre là où vous vous êtes arrêté</translation>
    </message>
    <message>
        <source>Course</source>
        <translation>Cours</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <source>Library of installed courses</source>
        <translation>Bibliothèque des cours installés</translation>
    </message>
    <message>
        <source>Version {0}</source>
        <translation>Version {0}</translation>
    </message>
    <message>
        <source>Progress in {0}</source>
        <translation>Progression dans {0}</translation>
    </message>
    <message>
        <source>Credential: {0}</source>
        <translation>Certification&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Credential: {0} — earned</source>
        <translation>Certification&#xa0;: {0} — obtenue</translation>
    </message>
    <message>
        <source>Progress toward {0}</source>
        <translation>Progression vers {0}</translation>
    </message>
    <message>
        <source>Needs: {0}</source>
        <translation>Nécessite&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Quiz: {0}</source>
        <translation>Quiz&#xa0;: {0}</translation>
    </message>
    <message numerus="yes">
        <source>%n course(s) installed</source>
        <translation>
            <numerusform>%n cours installé</numerusform>
            <numerusform>%n cours installés</numerusform>
        </translation>
    </message>
    <message>
        <source>No course is installed yet. Ask the technician to install a course pack.</source>
        <translation>Aucun cours n&apos;est encore installé. Demandez au technicien d&apos;installer un paquet de cours.</translation>
    </message>
    <message>
        <source>{0}%</source>
        <translation>{0} %</translation>
    </message>
    <message>
        <source>✓ Done</source>
        <translation>✓ Terminé</translation>
    </message>
    <message>
        <source>✓ Passed ({0}%)</source>
        <translation>✓ Réussi ({0} %)</translation>
    </message>
    <message>
        <source>Best so far: {0}%</source>
        <translation>Meilleur résultat&#xa0;: {0} %</translation>
    </message>
    <message>
        <source>Start learning</source>
        <translation>Commencer à apprendre</translation>
    </message>
    <message>
        <source>{0} — {1}</source>
        <translation>{0} — {1}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>mcdesk — micro-credentials</source>
        <translation>mcdesk — microcertifications</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Barre d&apos;outils principale</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Bibliothèque</translation>
    </message>
    <message>
        <source>My progress</source>
        <translation>Ma progression</translation>
    </message>
    <message>
        <source>Wallet</source>
        <translation>Portefeuille</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>Technicien</translation>
    </message>
    <message>
        <source>Switch learner</source>
        <translation>Changer d&apos;apprenant</translation>
    </message>
    <message>
        <source>Close the technician panel</source>
        <translation>Fermer le panneau technicien</translation>
    </message>
    <message>
        <source>Preparing the courses</source>
        <translation>Préparation des cours</translation>
    </message>
    <message>
        <source>Technician mode</source>
        <translation>Mode technicien</translation>
    </message>
</context>
<context>
    <name>MatchingAnswer</name>
    <message>
        <source>Choose a match for every item first.</source>
        <translation>Choisissez d&apos;abord une correspondance pour chaque élément.</translation>
    </message>
    <message>
        <source>Choices:</source>
        <translation>Choix&#xa0;:</translation>
    </message>
    <message>
        <source>Your matches:</source>
        <translation>Vos correspondances&#xa0;:</translation>
    </message>
    <message>
        <source>Choose a match…</source>
        <translation>Choisir une correspondance…</translation>
    </message>
    <message>
        <source>Match for: {0}</source>
        <translation>Correspondance pour&#xa0;: {0}</translation>
    </message>
</context>
<context>
    <name>OperationProgressDialog</name>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel the operation</source>
        <translation>Annuler l&apos;opération</translation>
    </message>
</context>
<context>
    <name>OrderingAnswer</name>
    <message>
        <source>Items to put in order</source>
        <translation>Éléments à remettre dans l&apos;ordre</translation>
    </message>
    <message>
        <source>Alt+Up and Alt+Down move the selected item.</source>
        <translation>Alt+Haut et Alt+Bas déplacent l&apos;élément sélectionné.</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Monter</translation>
    </message>
    <message>
        <source>Move the selected item up</source>
        <translation>Monter l&apos;élément sélectionné</translation>
    </message>
    <message>
        <source>Alt+Up</source>
        <translation>Alt+Haut</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Descendre</translation>
    </message>
    <message>
        <source>Move the selected item down</source>
        <translation>Descendre l&apos;élément sélectionné</translation>
    </message>
    <message>
        <source>Alt+Down</source>
        <translation>Alt+Bas</translation>
    </message>
</context>
<context>
    <name>PacksTab</name>
    <message>
        <source>Install packs from files</source>
        <translation>Installer des paquets depuis des fichiers</translation>
    </message>
    <message>
        <source>Content packs (*.mcpack)</source>
        <translation>Paquets de contenu (*.mcpack)</translation>
    </message>
    <message>
        <source>Install packs from a folder or USB stick</source>
        <translation>Installer des paquets depuis un dossier ou une clé USB</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>Version number {0}</source>
        <translation>Numéro de version {0}</translation>
    </message>
    <message>
        <source>Looking for packs…</source>
        <translation>Recherche de paquets…</translation>
    </message>
    <message>
        <source>No .mcpack files were found in {0}.</source>
        <translation>Aucun fichier .mcpack n&apos;a été trouvé dans {0}.</translation>
    </message>
    <message>
        <source>Checking {0} ({1} of {2})…</source>
        <translation>Vérification de {0} ({1} sur {2})…</translation>
    </message>
    <message>
        <source>Checking {0}</source>
        <translation>Vérification de {0}</translation>
    </message>
    <message>
        <source>Installing {0}</source>
        <translation>Installation de {0}</translation>
    </message>
    <message numerus="yes">
        <source>Installed %n pack(s): {0}.</source>
        <translation>
            <numerusform>%n paquet installé&#xa0;: {0}.</numerusform>
            <numerusform>%n paquets installés&#xa0;: {0}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Skipped %n.</source>
        <translation>
            <numerusform>%n ignoré.</numerusform>
            <numerusform>%n ignorés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be installed.</source>
        <translation>
            <numerusform>%n n&apos;a pas pu être installé.</numerusform>
            <numerusform>%n n&apos;ont pas pu être installés.</numerusform>
        </translation>
    </message>
    <message>
        <source>The last step was cancelled; it changed nothing.</source>
        <translation>La dernière étape a été annulée&#x202f;; elle n&apos;a rien modifié.</translation>
    </message>
    <message>
        <source>Nothing was installed.</source>
        <translation>Rien n&apos;a été installé.</translation>
    </message>
    <message>
        <source>Remove a pack</source>
        <translation>Retirer un paquet</translation>
    </message>
    <message>
        <source>Remove {0} ({1}) from this laptop?</source>
        <translation>Retirer {0} ({1}) de cet ordinateur&#x202f;?</translation>
    </message>
    <message>
        <source>Learners&apos; progress in it is kept, and comes back if the pack is installed again.</source>
        <translation>La progression des apprenants y est conservée et revient si le paquet est réinstallé.</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Retirer</translation>
    </message>
    <message>
        <source>Remove the pack</source>
        <translation>Retirer le paquet</translation>
    </message>
    <message>
        <source>Keep the pack</source>
        <translation>Garder le paquet</translation>
    </message>
    <message>
        <source>Removing {0}…</source>
        <translation>Retrait de {0}…</translation>
    </message>
    <message>
        <source>Removed {0}. Learners&apos; progress in it is kept.</source>
        <translation>{0} a été retiré. La progression des apprenants y est conservée.</translation>
    </message>
    <message>
        <source>Install packs</source>
        <translation>Installer des paquets</translation>
    </message>
    <message>
        <source>Course packs installed on this laptop. Every pack is checked before it is installed; nothing is installed without your decision.</source>
        <translation>Paquets de cours installés sur cet ordinateur. Chaque paquet est vérifié avant d&apos;être installé&#x202f;; rien n&apos;est installé sans votre décision.</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Publisher</source>
        <translation>Éditeur</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Installé le</translation>
    </message>
    <message>
        <source>Installed packs</source>
        <translation>Paquets installés</translation>
    </message>
    <message>
        <source>No packs are installed yet. Install one from a file, or from a folder or USB stick.</source>
        <translation>Aucun paquet n&apos;est encore installé. Installez-en un depuis un fichier, ou depuis un dossier ou une clé USB.</translation>
    </message>
    <message>
        <source>Install from &amp;files…</source>
        <translation>Installer depuis des &amp;fichiers…</translation>
    </message>
    <message>
        <source>Install from a f&amp;older or USB stick…</source>
        <translation>Installer depuis un d&amp;ossier ou une clé USB…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Retirer…</translation>
    </message>
    <message>
        <source>Remove the selected pack</source>
        <translation>Retirer le paquet sélectionné</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>PIN for {0}</source>
        <translation>Code PIN de {0}</translation>
    </message>
    <message>
        <source>{0}, type your PIN.</source>
        <translation>{0}, saisissez votre code PIN.</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <source>Open the profile</source>
        <translation>Ouvrir le profil</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message numerus="yes">
        <source>That PIN is not right. Tries left before a lock-out: %n.</source>
        <translation>
            <numerusform>Ce code PIN n&apos;est pas le bon. Essais restants avant un blocage&#xa0;: %n.</numerusform>
            <numerusform>Ce code PIN n&apos;est pas le bon. Essais restants avant un blocage&#xa0;: %n.</numerusform>
        </translation>
    </message>
    <message>
        <source>You can try your PIN again now.</source>
        <translation>Vous pouvez de nouveau essayer votre code PIN.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {0}. A technician can reset a forgotten PIN.</source>
        <translation>Trop de codes PIN erronés. Réessayez dans {0}. Un technicien peut réinitialiser un code PIN oublié.</translation>
    </message>
</context>
<context>
    <name>ProfileButton</name>
    <message>
        <source>Protected by a PIN</source>
        <translation>Protégé par un code PIN</translation>
    </message>
    <message>
        <source>No PIN</source>
        <translation>Sans code PIN</translation>
    </message>
</context>
<context>
    <name>ProfilePicker</name>
    <message>
        <source>Who is learning?</source>
        <translation>Qui apprend&#x202f;?</translation>
    </message>
    <message>
        <source>Choose your name. If your profile has a PIN, you will be asked for it.</source>
        <translation>Choisissez votre nom. Si votre profil a un code PIN, il vous sera demandé.</translation>
    </message>
    <message>
        <source>Find your name</source>
        <translation>Trouver votre nom</translation>
    </message>
    <message>
        <source>Find a learner by name</source>
        <translation>Trouver un apprenant par son nom</translation>
    </message>
    <message>
        <source>Nobody has a profile on this laptop yet. Create one to start.</source>
        <translation>Personne n&apos;a encore de profil sur cet ordinateur. Créez-en un pour commencer.</translation>
    </message>
    <message>
        <source>+ New learner</source>
        <translation>+ Nouvel apprenant</translation>
    </message>
    <message>
        <source>Create a new learner profile</source>
        <translation>Créer un nouveau profil d&apos;apprenant</translation>
    </message>
</context>
<context>
    <name>Profiles</name>
    <message>
        <source>Green</source>
        <translation>Vert</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>Bleu</translation>
    </message>
    <message>
        <source>Purple</source>
        <translation>Violet</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>Rouge</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>Orange</translation>
    </message>
    <message>
        <source>Teal</source>
        <translation>Bleu canard</translation>
    </message>
    <message>
        <source>Pink</source>
        <translation>Rose</translation>
    </message>
    <message>
        <source>Brown</source>
        <translation>Marron</translation>
    </message>
    <message>
        <source>Slate</source>
        <translation>Ardoise</translation>
    </message>
    <message>
        <source>Indigo</source>
        <translation>Indigo</translation>
    </message>
    <message>
        <source>Olive</source>
        <translation>Olive</translation>
    </message>
    <message>
        <source>Sea blue</source>
        <translation>Bleu marine</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>Soleil</translation>
    </message>
    <message>
        <source>Moon</source>
        <translation>Lune</translation>
    </message>
    <message>
        <source>Star</source>
        <translation>Étoile</translation>
    </message>
    <message>
        <source>Heart</source>
        <translation>Cœur</translation>
    </message>
    <message>
        <source>Leaf</source>
        <translation>Feuille</translation>
    </message>
    <message>
        <source>Flower</source>
        <translation>Fleur</translation>
    </message>
    <message>
        <source>Drop</source>
        <translation>Goutte</translation>
    </message>
    <message>
        <source>Lightning</source>
        <translation>Éclair</translation>
    </message>
    <message>
        <source>Mountain</source>
        <translation>Montagne</translation>
    </message>
    <message>
        <source>Fish</source>
        <translation>Poisson</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
</context>
<context>
    <name>ProgressRun</name>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed.</source>
        <translation>Annulé&#x202f;; rien n&apos;a été modifié.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
</context>
<context>
    <name>PublisherNameDialog</name>
    <message>
        <source>Trust a publisher</source>
        <translation>Faire confiance à un éditeur</translation>
    </message>
    <message>
        <source>The key in {0} has this id. Before you trust it, check that it is the id the publisher gave you:</source>
        <translation>La clé contenue dans {0} a cet identifiant. Avant de lui faire confiance, vérifiez que c&apos;est bien celui que l&apos;éditeur vous a donné&#xa0;:</translation>
    </message>
    <message>
        <source>Publisher&apos;s &amp;name:</source>
        <translation>&amp;Nom de l&apos;éditeur&#xa0;:</translation>
    </message>
    <message>
        <source>Publisher&apos;s name</source>
        <translation>Nom de l&apos;éditeur</translation>
    </message>
    <message>
        <source>&amp;Trust this key</source>
        <translation>&amp;Faire confiance à cette clé</translation>
    </message>
    <message>
        <source>Trust this key</source>
        <translation>Faire confiance à cette clé</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>QuizRunner</name>
    <message>
        <source>True</source>
        <translation>Vrai</translation>
    </message>
    <message>
        <source>False</source>
        <translation>Faux</translation>
    </message>
    <message>
        <source>Quiz</source>
        <translation>Quiz</translation>
    </message>
    <message>
        <source>Opening the quiz…</source>
        <translation>Ouverture du quiz…</translation>
    </message>
    <message>
        <source>Why the quiz cannot start now</source>
        <translation>Pourquoi le quiz ne peut pas commencer maintenant</translation>
    </message>
    <message>
        <source>Start the quiz</source>
        <translation>Commencer le quiz</translation>
    </message>
    <message>
        <source>Back to the library</source>
        <translation>Retour à la bibliothèque</translation>
    </message>
    <message>
        <source>About this quiz</source>
        <translation>À propos de ce quiz</translation>
    </message>
    <message>
        <source>Question number</source>
        <translation>Numéro de la question</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Temps restant</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Result of your answer</source>
        <translation>Résultat de votre réponse</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>Explication</translation>
    </message>
    <message>
        <source>Question and answer</source>
        <translation>Question et réponse</translation>
    </message>
    <message>
        <source>Leave the quiz</source>
        <translation>Quitter le quiz</translation>
    </message>
    <message>
        <source>Leave the quiz; your answers are saved</source>
        <translation>Quitter le quiz&#x202f;; vos réponses sont enregistrées</translation>
    </message>
    <message>
        <source>Your answers are saved as you go; open the quiz again to continue.</source>
        <translation>Vos réponses sont enregistrées au fur et à mesure&#x202f;; rouvrez le quiz pour continuer.</translation>
    </message>
    <message>
        <source>Submit answer</source>
        <translation>Valider la réponse</translation>
    </message>
    <message>
        <source>Passed or not</source>
        <translation>Réussi ou non</translation>
    </message>
    <message>
        <source>Credentials earned</source>
        <translation>Certifications obtenues</translation>
    </message>
    <message>
        <source>Review of your answers</source>
        <translation>Revue de vos réponses</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Revue</translation>
    </message>
    <message>
        <source>No learner is signed in.</source>
        <translation>Aucun apprenant n&apos;est connecté.</translation>
    </message>
    <message>
        <source>Choose your profile first.</source>
        <translation>Choisissez d&apos;abord votre profil.</translation>
    </message>
    <message>
        <source>Questions: {0}</source>
        <translation>Questions&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Pass mark: {0}%</source>
        <translation>Note de réussite&#xa0;: {0} %</translation>
    </message>
    <message>
        <source>Time limit: {0} min</source>
        <translation>Temps limite&#xa0;: {0} min</translation>
    </message>
    <message>
        <source>Feedback: after each answer</source>
        <translation>Retour&#xa0;: après chaque réponse</translation>
    </message>
    <message>
        <source>Feedback: at the end</source>
        <translation>Retour&#xa0;: à la fin</translation>
    </message>
    <message>
        <source>Attempts used: {0} (no limit)</source>
        <translation>Tentatives utilisées&#xa0;: {0} (sans limite)</translation>
    </message>
    <message>
        <source>Attempts used: {0} of {1}</source>
        <translation>Tentatives utilisées&#xa0;: {0} sur {1}</translation>
    </message>
    <message>
        <source>You have not finished this quiz yet.</source>
        <translation>Vous n&apos;avez pas encore terminé ce quiz.</translation>
    </message>
    <message>
        <source>You have passed this quiz. Best score: {0}%.</source>
        <translation>Vous avez réussi ce quiz. Meilleur score&#xa0;: {0} %.</translation>
    </message>
    <message>
        <source>Best score so far: {0}% (not passed yet).</source>
        <translation>Meilleur score jusqu&apos;ici&#xa0;: {0} % (pas encore réussi).</translation>
    </message>
    <message>
        <source>Your last attempt ran out of time; it was scored with the answers given in time ({0}%).</source>
        <translation>Le temps de votre dernière tentative s&apos;est écoulé&#x202f;; elle a été notée avec les réponses données à temps ({0} %).</translation>
    </message>
    <message>
        <source>Resume the quiz</source>
        <translation>Reprendre le quiz</translation>
    </message>
    <message>
        <source>You can try again at {0}. After an attempt that does not pass, this quiz asks you to wait {1} minutes.</source>
        <translation>Vous pourrez réessayer à {0}. Après une tentative non réussie, ce quiz demande d&apos;attendre {1} minutes.</translation>
    </message>
    <message>
        <source>You have used all {0} attempts at this quiz.</source>
        <translation>Vous avez utilisé les {0} tentatives de ce quiz.</translation>
    </message>
    <message>
        <source>Question {0} of {1}</source>
        <translation>Question {0} sur {1}</translation>
    </message>
    <message>
        <source>This question is worth {0} points.</source>
        <translation>Cette question vaut {0} points.</translation>
    </message>
    <message>
        <source>Press 1–{0} or A–{1} to choose, then Enter to answer.</source>
        <translation>Appuyez sur 1–{0} ou A–{1} pour choisir, puis sur Entrée pour répondre.</translation>
    </message>
    <message>
        <source>Select an item and move it with Alt+Up and Alt+Down (or the buttons), then press Enter.</source>
        <translation>Sélectionnez un élément et déplacez-le avec Alt+Haut et Alt+Bas (ou les boutons), puis appuyez sur Entrée.</translation>
    </message>
    <message>
        <source>In each box press the letter of its match, then press Enter.</source>
        <translation>Dans chaque case, appuyez sur la lettre de sa correspondance, puis sur Entrée.</translation>
    </message>
    <message>
        <source>Type your answer, then press Enter.</source>
        <translation>Saisissez votre réponse, puis appuyez sur Entrée.</translation>
    </message>
    <message>
        <source>See your results</source>
        <translation>Voir vos résultats</translation>
    </message>
    <message>
        <source>Next question</source>
        <translation>Question suivante</translation>
    </message>
    <message>
        <source>Press Enter to see your results.</source>
        <translation>Appuyez sur Entrée pour voir vos résultats.</translation>
    </message>
    <message>
        <source>Press Enter for the next question.</source>
        <translation>Appuyez sur Entrée pour la question suivante.</translation>
    </message>
    <message>
        <source>✓ Correct</source>
        <translation>✓ Correct</translation>
    </message>
    <message>
        <source>✗ Not correct</source>
        <translation>✗ Incorrect</translation>
    </message>
    <message>
        <source>Time left: {0}</source>
        <translation>Temps restant&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Time is up.</source>
        <translation>Le temps est écoulé.</translation>
    </message>
    <message>
        <source>Results: {0}</source>
        <translation>Résultats&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Time ran out. The quiz was scored with the answers given in time.</source>
        <translation>Le temps s&apos;est écoulé. Le quiz a été noté avec les réponses données à temps.</translation>
    </message>
    <message>
        <source>You scored {0} of {1} points ({2}%).</source>
        <translation>Vous avez obtenu {0} points sur {1} ({2} %).</translation>
    </message>
    <message>
        <source>✓ Passed. The pass mark is {0}%.</source>
        <translation>✓ Réussi. La note de réussite est de {0} %.</translation>
    </message>
    <message>
        <source>✗ Not passed this time. The pass mark is {0}%.</source>
        <translation>✗ Pas réussi cette fois. La note de réussite est de {0} %.</translation>
    </message>
    <message>
        <source>New credential earned: {0} (awaiting verification)</source>
        <translation>Nouvelle certification obtenue&#xa0;: {0} (en attente de vérification)</translation>
    </message>
    <message>
        <source>Question {0}</source>
        <translation>Question {0}</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>Sans réponse</translation>
    </message>
    <message>
        <source>Your answer:</source>
        <translation>Votre réponse&#xa0;:</translation>
    </message>
    <message>
        <source>Explanation:</source>
        <translation>Explication&#xa0;:</translation>
    </message>
</context>
<context>
    <name>ReaderView</name>
    <message>
        <source>Choose a lesson in the library.</source>
        <translation>Choisissez une leçon dans la bibliothèque.</translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation>Copier l&apos;adresse</translation>
    </message>
    <message>
        <source>Lesson text</source>
        <translation>Texte de la leçon</translation>
    </message>
    <message>
        <source>Copy the link address</source>
        <translation>Copier l&apos;adresse du lien</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Close the link message</source>
        <translation>Fermer le message du lien</translation>
    </message>
    <message>
        <source>← Previous</source>
        <translation>← Précédent</translation>
    </message>
    <message>
        <source>Previous lesson or quiz</source>
        <translation>Leçon ou quiz précédent</translation>
    </message>
    <message>
        <source>A−</source>
        <translation>A−</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>Texte plus petit</translation>
    </message>
    <message>
        <source>Smaller text (Ctrl+Minus)</source>
        <translation>Texte plus petit (Ctrl+Moins)</translation>
    </message>
    <message>
        <source>A+</source>
        <translation>A+</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>Texte plus grand</translation>
    </message>
    <message>
        <source>Larger text (Ctrl+Plus)</source>
        <translation>Texte plus grand (Ctrl+Plus)</translation>
    </message>
    <message>
        <source>Mark complete</source>
        <translation>Marquer comme terminée</translation>
    </message>
    <message>
        <source>Mark this lesson complete</source>
        <translation>Marquer cette leçon comme terminée</translation>
    </message>
    <message>
        <source>Next →</source>
        <translation>Suivant →</translation>
    </message>
    <message>
        <source>Next lesson or quiz</source>
        <translation>Leçon ou quiz suivant</translation>
    </message>
    <message>
        <source>{0} · {1} · item {2} of {3}</source>
        <translation>{0} · {1} · élément {2} sur {3}</translation>
    </message>
    <message>
        <source>Credential earned: {0}. It shows in your wallet as awaiting verification.</source>
        <translation>Certification obtenue&#xa0;: {0}. Elle figure dans votre portefeuille, en attente de vérification.</translation>
    </message>
    <message>
        <source>Completed ✓</source>
        <translation>Terminée ✓</translation>
    </message>
    <message>
        <source>This link goes to {0}. mcdesk never opens web pages: copy the address to open it later on a device with internet.</source>
        <translation>Ce lien mène à {0}. mcdesk n&apos;ouvre jamais de pages web&#xa0;: copiez l&apos;adresse pour l&apos;ouvrir plus tard sur un appareil connecté à internet.</translation>
    </message>
    <message>
        <source>Address copied: {0}</source>
        <translation>Adresse copiée&#xa0;: {0}</translation>
    </message>
</context>
<context>
    <name>SearchView</name>
    <message>
        <source>Search results</source>
        <translation>Résultats de la recherche</translation>
    </message>
    <message>
        <source>Search all lessons</source>
        <translation>Rechercher dans toutes les leçons</translation>
    </message>
    <message>
        <source>{0} ({1}): {2}</source>
        <translation>{0} ({1})&#xa0;: {2}</translation>
    </message>
    <message numerus="yes">
        <source>%n lesson(s) found</source>
        <translation>
            <numerusform>%n leçon trouvée</numerusform>
            <numerusform>%n leçons trouvées</numerusform>
        </translation>
    </message>
    <message>
        <source>No lesson contains “{0}”. Try fewer or shorter words.</source>
        <translation>Aucune leçon ne contient «&#xa0;{0}&#xa0;». Essayez avec moins de mots ou des mots plus courts.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Same as this laptop</source>
        <translation>Comme cet ordinateur</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Suivre le système</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Contraste élevé</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>These choices are kept with the profile of {0}; other learners keep their own.</source>
        <translation>Ces choix sont conservés dans le profil de {0}&#x202f;; les autres apprenants gardent les leurs.</translation>
    </message>
    <message>
        <source>These choices are this laptop&apos;s defaults; each learner can change them for themselves.</source>
        <translation>Ces choix sont les réglages par défaut de cet ordinateur&#x202f;; chaque apprenant peut les modifier pour lui-même.</translation>
    </message>
    <message>
        <source>Language and appearance</source>
        <translation>Langue et apparence</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue&#xa0;:</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Thème&#xa0;:</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <source>Lesson &amp;text size:</source>
        <translation>Taille du te&amp;xte des leçons&#xa0;:</translation>
    </message>
    <message>
        <source>Lesson text size</source>
        <translation>Taille du texte des leçons</translation>
    </message>
    <message>
        <source>{0} pt</source>
        <translation>{0} pt</translation>
    </message>
    <message>
        <source>Lessons will look like this.</source>
        <translation>Les leçons ressembleront à ceci.</translation>
    </message>
    <message>
        <source>This laptop (technician)</source>
        <translation>Cet ordinateur (technicien)</translation>
    </message>
    <message>
        <source>Lock after &amp;idle time:</source>
        <translation>Verrouiller après une &amp;inactivité de&#xa0;:</translation>
    </message>
    <message>
        <source>Minutes without use before the app locks</source>
        <translation>Minutes sans utilisation avant le verrouillage de l&apos;application</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <source>After this many minutes without use, the app goes back to the profile picker so the next person cannot see someone else&apos;s work.</source>
        <translation>Après ce nombre de minutes sans utilisation, l&apos;application revient au choix du profil, pour que la personne suivante ne puisse pas voir le travail d&apos;une autre.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Save the settings</source>
        <translation>Enregistrer les paramètres</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation>Fermer sans enregistrer</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <source>Sync status</source>
        <translation>État de la synchronisation</translation>
    </message>
    <message>
        <source>Sending {0} of {1}…</source>
        <translation>Envoi {0} sur {1}…</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchronisation…</translation>
    </message>
    <message>
        <source>Sending evidence to the institution.</source>
        <translation>Envoi des preuves à l’établissement.</translation>
    </message>
    <message>
        <source>Not enrolled</source>
        <translation>Non inscrit</translation>
    </message>
    <message>
        <source>This laptop is not enrolled with an institution yet; a technician can enrol it in the technician panel (Sync tab). Evidence is kept safely until then.</source>
        <translation>Cet ordinateur n’est encore inscrit auprès d’aucun établissement ; un technicien peut l’inscrire dans le panneau technicien (onglet Synchronisation). Les preuves sont conservées en sécurité d’ici là.</translation>
    </message>
    <message numerus="yes">
        <source>%n to send</source>
        <translation>
            <numerusform>%n à envoyer</numerusform>
            <numerusform>%n à envoyer</numerusform>
        </translation>
    </message>
    <message>
        <source>All sent</source>
        <translation>Tout est envoyé</translation>
    </message>
    <message>
        <source>synced {0}</source>
        <translation>synchronisé le {0}</translation>
    </message>
    <message>
        <source>Institution: {0}
Queued: {1} · Acknowledged: {2}
Last synced: {3}</source>
        <translation>Établissement : {0}
En attente : {1} · Accusés de réception : {2}
Dernière synchronisation : {3}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>Sync problem · {0}</source>
        <translation>Problème de synchronisation · {0}</translation>
    </message>
    <message>
        <source>Last problem: {0}</source>
        <translation>Dernier problème : {0}</translation>
    </message>
    <message>
        <source>Click to sync now.</source>
        <translation>Cliquez pour synchroniser maintenant.</translation>
    </message>
</context>
<context>
    <name>SyncTab</name>
    <message>
        <source>Export evidence to a USB stick</source>
        <translation>Exporter les preuves sur une clé USB</translation>
    </message>
    <message>
        <source>Import the institution&apos;s reply</source>
        <translation>Importer la réponse de l’établissement</translation>
    </message>
    <message>
        <source>mcdesk replies (*.mcreply);;All files (*)</source>
        <translation>Réponses mcdesk (*.mcreply);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>not made yet</source>
        <translation>pas encore créée</translation>
    </message>
    <message>
        <source>the system keyring</source>
        <translation>le trousseau du système</translation>
    </message>
    <message>
        <source>a file only this account can read</source>
        <translation>un fichier que seul ce compte peut lire</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>Not enrolled yet</source>
        <translation>Pas encore inscrit</translation>
    </message>
    <message>
        <source>{0} in all: {1} waiting to be sent, {2} acknowledged by the institution</source>
        <translation>{0} au total : {1} en attente d’envoi, {2} reçues par l’établissement</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) refused by the hub.</source>
        <translation>
            <numerusform>%n enregistrement refusé par le serveur.</numerusform>
            <numerusform>%n enregistrements refusés par le serveur.</numerusform>
        </translation>
    </message>
    <message>
        <source>Last problem: {0}</source>
        <translation>Dernier problème : {0}</translation>
    </message>
    <message>
        <source>Enrol again</source>
        <translation>Inscrire à nouveau</translation>
    </message>
    <message>
        <source>Enrol this laptop</source>
        <translation>Inscrire cet ordinateur</translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation>Inscription…</translation>
    </message>
    <message>
        <source>Enrolled with {0}. Evidence will be sent there.</source>
        <translation>Inscrit auprès de {0}. Les preuves y seront envoyées.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchronisation…</translation>
    </message>
    <message>
        <source>Writing the bundle…</source>
        <translation>Écriture du paquet…</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n record(s) to {0}. Take it to the institution and bring back its reply.</source>
        <translation>
            <numerusform>%n enregistrement écrit dans {0}. Apportez-le à l’établissement et rapportez sa réponse.</numerusform>
            <numerusform>%n enregistrements écrits dans {0}. Apportez-les à l’établissement et rapportez sa réponse.</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking the reply…</source>
        <translation>Vérification de la réponse…</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) acknowledged by the institution.</source>
        <translation>
            <numerusform>%n enregistrement reçu par l’établissement.</numerusform>
            <numerusform>%n enregistrements reçus par l’établissement.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) refused; see the last problem above.</source>
        <translation>
            <numerusform>%n enregistrement refusé ; voir le dernier problème ci-dessus.</numerusform>
            <numerusform>%n enregistrements refusés ; voir le dernier problème ci-dessus.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sending evidence…</source>
        <translation>Envoi des preuves…</translation>
    </message>
    <message>
        <source>Reading the hub&apos;s answers…</source>
        <translation>Lecture des réponses du serveur…</translation>
    </message>
    <message>
        <source>Sync cancelled. What was acknowledged stays acknowledged.</source>
        <translation>Synchronisation annulée. Ce qui a été reçu le reste.</translation>
    </message>
    <message>
        <source>Sync failed: {0}</source>
        <translation>Échec de la synchronisation : {0}</translation>
    </message>
    <message>
        <source>Sent {0} record(s): {1} accepted, {2} already at the hub, {3} refused.</source>
        <translation>{0} enregistrement(s) envoyé(s) : {1} accepté(s), {2} déjà sur le serveur, {3} refusé(s).</translation>
    </message>
    <message>
        <source>S&amp;ync</source>
        <translation>S&amp;ynchronisation</translation>
    </message>
    <message>
        <source>This laptop</source>
        <translation>Cet ordinateur</translation>
    </message>
    <message>
        <source>Device key id:</source>
        <translation>Identifiant de la clé de l’appareil :</translation>
    </message>
    <message>
        <source>Private key kept in:</source>
        <translation>Clé privée conservée dans :</translation>
    </message>
    <message>
        <source>Institution:</source>
        <translation>Établissement :</translation>
    </message>
    <message>
        <source>Evidence records:</source>
        <translation>Preuves enregistrées :</translation>
    </message>
    <message>
        <source>Last synced:</source>
        <translation>Dernière synchronisation :</translation>
    </message>
    <message>
        <source>Hub &amp;address:</source>
        <translation>&amp;Adresse du serveur :</translation>
    </message>
    <message>
        <source>Enrolment &amp;code:</source>
        <translation>&amp;Code d’inscription :</translation>
    </message>
    <message>
        <source>Laptop &amp;name:</source>
        <translation>&amp;Nom de l’ordinateur :</translation>
    </message>
    <message>
        <source>optional; the computer&apos;s name by default</source>
        <translation>facultatif ; par défaut, le nom de l’ordinateur</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>Adresse du serveur</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>Code d’inscription</translation>
    </message>
    <message>
        <source>Laptop name</source>
        <translation>Nom de l’ordinateur</translation>
    </message>
    <message>
        <source>&amp;Enrol</source>
        <translation>&amp;Inscrire</translation>
    </message>
    <message>
        <source>Enrol this laptop with the hub</source>
        <translation>Inscrire cet ordinateur auprès du serveur</translation>
    </message>
    <message>
        <source>Sync &amp;now</source>
        <translation>Synchroniser &amp;maintenant</translation>
    </message>
    <message>
        <source>Send evidence to the institution now</source>
        <translation>Envoyer les preuves à l’établissement maintenant</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel the sync</source>
        <translation>Annuler la synchronisation</translation>
    </message>
    <message>
        <source>E&amp;xport to USB stick…</source>
        <translation>E&amp;xporter sur clé USB…</translation>
    </message>
    <message>
        <source>Export queued evidence to a USB stick</source>
        <translation>Exporter les preuves en attente sur une clé USB</translation>
    </message>
    <message>
        <source>&amp;Import reply…</source>
        <translation>Im&amp;porter la réponse…</translation>
    </message>
    <message>
        <source>Import the institution&apos;s reply from a USB stick</source>
        <translation>Importer la réponse de l’établissement depuis une clé USB</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Progression de la synchronisation</translation>
    </message>
</context>
<context>
    <name>TechnicianDialog</name>
    <message>
        <source>Technician</source>
        <translation>Technicien</translation>
    </message>
    <message>
        <source>Checking this laptop&apos;s settings…</source>
        <translation>Vérification des réglages de cet ordinateur…</translation>
    </message>
    <message>
        <source>Technician passphrase</source>
        <translation>Phrase de passe du technicien</translation>
    </message>
    <message>
        <source>Repeat the technician passphrase</source>
        <translation>Répéter la phrase de passe du technicien</translation>
    </message>
    <message>
        <source>Repeat it:</source>
        <translation>Répétez-la&#xa0;:</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Phrase de passe&#xa0;:</translation>
    </message>
    <message>
        <source>This laptop has no technician passphrase yet. Choose one of at least {0} characters: it protects resetting PINs, removing learners and installing packs.</source>
        <translation>Cet ordinateur n&apos;a pas encore de phrase de passe de technicien. Choisissez-en une d&apos;au moins {0} caractères&#xa0;: elle protège la réinitialisation des codes PIN, le retrait d&apos;apprenants et l&apos;installation de paquets.</translation>
    </message>
    <message>
        <source>Type the technician passphrase to open the technician tools.</source>
        <translation>Saisissez la phrase de passe du technicien pour ouvrir les outils du technicien.</translation>
    </message>
    <message>
        <source>Use at least {0} characters.</source>
        <translation>Utilisez au moins {0} caractères.</translation>
    </message>
    <message>
        <source>The two passphrases are not the same. Type it again in both boxes.</source>
        <translation>Les deux phrases de passe ne sont pas identiques. Saisissez-la de nouveau dans les deux champs.</translation>
    </message>
    <message numerus="yes">
        <source>That passphrase is not right. Tries left before a lock-out: %n.</source>
        <translation>
            <numerusform>Cette phrase de passe n&apos;est pas la bonne. Essais restants avant un blocage&#xa0;: %n.</numerusform>
            <numerusform>Cette phrase de passe n&apos;est pas la bonne. Essais restants avant un blocage&#xa0;: %n.</numerusform>
        </translation>
    </message>
    <message>
        <source>You can try the passphrase again now.</source>
        <translation>Vous pouvez de nouveau essayer la phrase de passe.</translation>
    </message>
    <message>
        <source>Too many wrong tries. Try again in {0}.</source>
        <translation>Trop d&apos;essais erronés. Réessayez dans {0}.</translation>
    </message>
</context>
<context>
    <name>TechnicianPanel</name>
    <message>
        <source>Technician</source>
        <translation>Technicien</translation>
    </message>
    <message>
        <source>Technician panel</source>
        <translation>Panneau du technicien</translation>
    </message>
    <message>
        <source>&amp;Packs</source>
        <translation>&amp;Paquets</translation>
    </message>
    <message>
        <source>&amp;Trusted publishers</source>
        <translation>Éditeurs de &amp;confiance</translation>
    </message>
    <message>
        <source>&amp;Disk</source>
        <translation>&amp;Disque</translation>
    </message>
</context>
<context>
    <name>TextAnswer</name>
    <message>
        <source>Type a number first.</source>
        <translation>Saisissez d&apos;abord un nombre.</translation>
    </message>
    <message>
        <source>A number, like 12 or 2,5</source>
        <translation>Un nombre, comme 12 ou 2,5</translation>
    </message>
    <message>
        <source>Your answer (a number in {0})</source>
        <translation>Votre réponse (un nombre en {0})</translation>
    </message>
    <message>
        <source>Your answer (a number)</source>
        <translation>Votre réponse (un nombre)</translation>
    </message>
    <message>
        <source>Type your answer first.</source>
        <translation>Saisissez d&apos;abord votre réponse.</translation>
    </message>
    <message>
        <source>Type your answer</source>
        <translation>Saisissez votre réponse</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>Votre réponse</translation>
    </message>
</context>
<context>
    <name>TrustTab</name>
    <message>
        <source>Add a publisher&apos;s key</source>
        <translation>Ajouter la clé d&apos;un éditeur</translation>
    </message>
    <message>
        <source>Public keys (*.pub.pem *.pem)</source>
        <translation>Clés publiques (*.pub.pem *.pem)</translation>
    </message>
    <message>
        <source>added by a technician</source>
        <translation>ajoutée par un technicien</translation>
    </message>
    <message>
        <source>local sample publisher</source>
        <translation>éditeur local des exemples</translation>
    </message>
    <message>
        <source>Packs signed by {0} can now be installed.</source>
        <translation>Les paquets signés par {0} peuvent maintenant être installés.</translation>
    </message>
    <message>
        <source>Stop trusting a publisher</source>
        <translation>Ne plus faire confiance à un éditeur</translation>
    </message>
    <message>
        <source>Stop trusting {0} (key {1})?</source>
        <translation>Ne plus faire confiance à {0} (clé {1})&#x202f;?</translation>
    </message>
    <message>
        <source>Packs already installed from this publisher stay installed. New packs and updates signed with this key will be refused.</source>
        <translation>Les paquets déjà installés de cet éditeur restent installés. Les nouveaux paquets et les mises à jour signés avec cette clé seront refusés.</translation>
    </message>
    <message>
        <source>Stop &amp;trusting</source>
        <translation>Ne plus faire &amp;confiance</translation>
    </message>
    <message>
        <source>Stop trusting this key</source>
        <translation>Ne plus faire confiance à cette clé</translation>
    </message>
    <message>
        <source>Keep trusting this key</source>
        <translation>Continuer à faire confiance à cette clé</translation>
    </message>
    <message>
        <source>{0} is no longer trusted.</source>
        <translation>{0} n&apos;est plus un éditeur de confiance.</translation>
    </message>
    <message>
        <source>Packs are installed only when they are signed with one of these keys. Add a key only when you know it comes from the publisher.</source>
        <translation>Un paquet n&apos;est installé que s&apos;il est signé avec l&apos;une de ces clés. N&apos;ajoutez une clé que si vous savez qu&apos;elle vient de l&apos;éditeur.</translation>
    </message>
    <message>
        <source>Publisher</source>
        <translation>Éditeur</translation>
    </message>
    <message>
        <source>Key id</source>
        <translation>Identifiant de clé</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>Origine</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Ajoutée le</translation>
    </message>
    <message>
        <source>Trusted publisher keys</source>
        <translation>Clés des éditeurs de confiance</translation>
    </message>
    <message>
        <source>No publisher keys are trusted yet, so no pack can be installed. Add the key of each publisher whose packs you use.</source>
        <translation>Aucune clé d&apos;éditeur n&apos;est encore de confiance&#xa0;: aucun paquet ne peut donc être installé. Ajoutez la clé de chaque éditeur dont vous utilisez les paquets.</translation>
    </message>
    <message>
        <source>&amp;Add key from file…</source>
        <translation>&amp;Ajouter une clé depuis un fichier…</translation>
    </message>
    <message>
        <source>Add a publisher key from a file</source>
        <translation>Ajouter la clé d&apos;un éditeur depuis un fichier</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Retirer…</translation>
    </message>
    <message>
        <source>Remove the selected key</source>
        <translation>Retirer la clé sélectionnée</translation>
    </message>
</context>
<context>
    <name>VerifyReportDialog</name>
    <message>
        <source>Archive</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>Manifest</source>
        <translation>Manifeste</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>Compatibility</source>
        <translation>Compatibilité</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Disk space</source>
        <translation>Espace disque</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>Check before installing</source>
        <translation>Vérification avant installation</translation>
    </message>
    <message>
        <source>Pack {0} of {1}</source>
        <translation>Paquet {0} sur {1}</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Fichier&#xa0;:</translation>
    </message>
    <message>
        <source>Pack id:</source>
        <translation>Identifiant du paquet&#xa0;:</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Version&#xa0;:</translation>
    </message>
    <message>
        <source>{0} (version number {1})</source>
        <translation>{0} (numéro de version {1})</translation>
    </message>
    <message>
        <source>Publisher:</source>
        <translation>Éditeur&#xa0;:</translation>
    </message>
    <message>
        <source>Signed by:</source>
        <translation>Signé par&#xa0;:</translation>
    </message>
    <message>
        <source>a key that is not trusted here ({0})</source>
        <translation>une clé qui n&apos;est pas de confiance ici ({0})</translation>
    </message>
    <message>
        <source>Installed now:</source>
        <translation>Installé actuellement&#xa0;:</translation>
    </message>
    <message>
        <source>version {0}</source>
        <translation>version {0}</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>non installé</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Taille&#xa0;:</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), {0}</source>
        <translation>
            <numerusform>%n fichier, {0}</numerusform>
            <numerusform>%n fichiers, {0}</numerusform>
        </translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>Vérifications</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>ÉCHEC</translation>
    </message>
    <message>
        <source>{0}: ok</source>
        <translation>{0}&#xa0;: ok</translation>
    </message>
    <message>
        <source>{0}: failed</source>
        <translation>{0}&#xa0;: échec</translation>
    </message>
    <message>
        <source>Replace the installed version on purpose (roll back or reinstall)</source>
        <translation>Remplacer volontairement la version installée (retour en arrière ou réinstallation)</translation>
    </message>
    <message>
        <source>&amp;Install</source>
        <translation>&amp;Installer</translation>
    </message>
    <message>
        <source>Install this pack</source>
        <translation>Installer ce paquet</translation>
    </message>
    <message>
        <source>&amp;Skip</source>
        <translation>I&amp;gnorer</translation>
    </message>
    <message>
        <source>Skip this pack</source>
        <translation>Ignorer ce paquet</translation>
    </message>
    <message>
        <source>Skip &amp;the rest</source>
        <translation>Ignorer &amp;les suivants</translation>
    </message>
    <message>
        <source>Skip this pack and the rest</source>
        <translation>Ignorer ce paquet et les suivants</translation>
    </message>
    <message>
        <source>Every check passed. Installing updates version {0} to {1}; learners&apos; progress is kept.</source>
        <translation>Toutes les vérifications ont réussi. L&apos;installation met à jour la version {0} vers la version {1}&#x202f;; la progression des apprenants est conservée.</translation>
    </message>
    <message>
        <source>Every check passed. This pack can be installed.</source>
        <translation>Toutes les vérifications ont réussi. Ce paquet peut être installé.</translation>
    </message>
    <message>
        <source>Every other check passed, but version {0} is already installed. Reinstall it only on purpose.</source>
        <translation>Toutes les autres vérifications ont réussi, mais la version {0} est déjà installée. Ne la réinstallez que volontairement.</translation>
    </message>
    <message>
        <source>Every other check passed, but this is version {0}, older than the installed version {1}. Install it only to roll back on purpose.</source>
        <translation>Toutes les autres vérifications ont réussi, mais il s&apos;agit de la version {0}, plus ancienne que la version installée {1}. Ne l&apos;installez que pour revenir volontairement en arrière.</translation>
    </message>
    <message numerus="yes">
        <source>Do not install this pack: %n check(s) failed.</source>
        <translation>
            <numerusform>N&apos;installez pas ce paquet&#xa0;: %n vérification a échoué.</numerusform>
            <numerusform>N&apos;installez pas ce paquet&#xa0;: %n vérifications ont échoué.</numerusform>
        </translation>
    </message>
    <message>
        <source>If you trust its publisher, add their key under Trusted publishers and try again.</source>
        <translation>Si vous faites confiance à son éditeur, ajoutez sa clé dans Éditeurs de confiance et réessayez.</translation>
    </message>
</context>
<context>
    <name>WalletView</name>
    <message>
        <source>Export result</source>
        <translation>Résultat de l&apos;export</translation>
    </message>
    <message>
        <source>Your wallet</source>
        <translation>Votre portefeuille</translation>
    </message>
    <message>
        <source>Credentials you have earned</source>
        <translation>Certifications que vous avez obtenues</translation>
    </message>
    <message>
        <source>Choose your profile to see your wallet.</source>
        <translation>Choisissez votre profil pour voir votre portefeuille.</translation>
    </message>
    <message>
        <source>No credentials yet</source>
        <translation>Pas encore de certification</translation>
    </message>
    <message>
        <source>Each course in the library offers a credential. Complete every lesson of the course and pass its quizzes: the credential appears here at once, marked “Earned — awaiting verification” until your institution confirms it.</source>
        <translation>Chaque cours de la bibliothèque propose une certification. Terminez toutes les leçons du cours et réussissez ses quiz&#xa0;: la certification apparaît ici aussitôt, marquée «&#xa0;Obtenue — en attente de vérification&#xa0;» jusqu&apos;à ce que votre établissement la confirme.</translation>
    </message>
    <message>
        <source>Credentials that stack into a larger one (a pathway) bring you closer to it; the dashboard shows how far along you are.</source>
        <translation>Les certifications qui se cumulent en une plus grande (un parcours) vous en rapprochent&#x202f;; le tableau de bord montre où vous en êtes.</translation>
    </message>
    <message>
        <source>Earned — awaiting verification</source>
        <translation>Obtenue — en attente de vérification</translation>
    </message>
    <message>
        <source>Issued by {0} — verified on this laptop</source>
        <translation>Délivrée par {0} — vérifiée sur cet ordinateur</translation>
    </message>
    <message>
        <source>your institution</source>
        <translation>votre établissement</translation>
    </message>
    <message>
        <source>Revoked by your institution: {0}</source>
        <translation>Révoquée par votre établissement&#xa0;: {0}</translation>
    </message>
    <message>
        <source>no reason was given</source>
        <translation>aucun motif n&apos;a été donné</translation>
    </message>
    <message>
        <source>Could not be verified: {0}</source>
        <translation>N&apos;a pas pu être vérifiée&#xa0;: {0}</translation>
    </message>
    <message>
        <source>no reason was recorded</source>
        <translation>aucun motif n&apos;a été enregistré</translation>
    </message>
    <message>
        <source>an unknown date</source>
        <translation>une date inconnue</translation>
    </message>
    <message>
        <source>status checked on {0}</source>
        <translation>statut vérifié le {0}</translation>
    </message>
    <message>
        <source>not checked online yet</source>
        <translation>pas encore vérifié en ligne</translation>
    </message>
    <message>
        <source>Issued on {0} · {1}</source>
        <translation>Délivrée le {0} · {1}</translation>
    </message>
    <message>
        <source>It is not shown as verified and cannot be exported. Sync again; if it stays like this, tell your institution.</source>
        <translation>Elle n&apos;est pas présentée comme vérifiée et ne peut pas être exportée. Synchronisez à nouveau ; si cela persiste, prévenez votre établissement.</translation>
    </message>
    <message>
        <source>Status checked on {0}</source>
        <translation>Statut vérifié le {0}</translation>
    </message>
    <message>
        <source>Save as &amp;JSON…</source>
        <translation>Enregistrer en &amp;JSON…</translation>
    </message>
    <message>
        <source>Save {0} as JSON</source>
        <translation>Enregistrer {0} en JSON</translation>
    </message>
    <message>
        <source>&amp;Print certificate (PDF)…</source>
        <translation>&amp;Imprimer le certificat (PDF)…</translation>
    </message>
    <message>
        <source>Save a printable certificate of {0} as PDF</source>
        <translation>Enregistrer un certificat imprimable de {0} en PDF</translation>
    </message>
    <message>
        <source>Save &amp;badge image…</source>
        <translation>Enregistrer l&apos;image du &amp;badge…</translation>
    </message>
    <message>
        <source>Save the badge image of {0}</source>
        <translation>Enregistrer l&apos;image du badge de {0}</translation>
    </message>
    <message>
        <source>Save the credential as JSON</source>
        <translation>Enregistrer la certification en JSON</translation>
    </message>
    <message>
        <source>Credential (*.json)</source>
        <translation>Certification (*.json)</translation>
    </message>
    <message>
        <source>Save a printable certificate</source>
        <translation>Enregistrer un certificat imprimable</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>Document PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Save the badge image</source>
        <translation>Enregistrer l&apos;image du badge</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Image PNG (*.png)</translation>
    </message>
    <message>
        <source>Saving {0} as JSON…</source>
        <translation>Enregistrement de {0} en JSON…</translation>
    </message>
    <message>
        <source>Making the certificate of {0}…</source>
        <translation>Création du certificat de {0}…</translation>
    </message>
    <message>
        <source>Drawing the badge of {0}…</source>
        <translation>Dessin du badge de {0}…</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>Enregistré&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Earned on {0} · Score {1}%</source>
        <translation>Obtenue le {0} · Score {1} %</translation>
    </message>
    <message>
        <source>Earned on {0}</source>
        <translation>Obtenue le {0}</translation>
    </message>
    <message>
        <source>Skills: {0}</source>
        <translation>Compétences&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Part of {0}, which you have earned too.</source>
        <translation>Fait partie de {0}, que vous avez aussi obtenue.</translation>
    </message>
    <message>
        <source>Counts toward {0}: {1} of {2} credentials held.</source>
        <translation>Compte pour {0}&#xa0;: certifications obtenues, {1} sur {2}.</translation>
    </message>
    <message>
        <source>Counts toward {0}.</source>
        <translation>Compte pour {0}.</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>mcdesk</source>
        <translation>mcdesk</translation>
    </message>
    <message>
        <source>Something went wrong that mcdesk did not expect.</source>
        <translation>Un problème inattendu est survenu dans mcdesk.</translation>
    </message>
    <message>
        <source>Your work is saved. The details were written to the log folder.</source>
        <translation>Votre travail est enregistré. Les détails ont été écrits dans le dossier des journaux.</translation>
    </message>
</context>
<context>
    <name>mcdesk.theme</name>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Contraste élevé</translation>
    </message>
</context>
</TS>
