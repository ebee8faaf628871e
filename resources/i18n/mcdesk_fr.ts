<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>mcdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong that mcdesk did not expect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your work is saved. The details were written to the log folder.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CreateLearnerDialog</name>
    <message>
        <source>New learner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name you want to see</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Picture: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4 to 8 digits, or leave empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Institution id (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: your student or staff number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A PIN keeps your answers and progress private on a shared laptop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Picture:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;PIN:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repeat PIN:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Institution id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a name for the profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two PINs are not the same. Type the PIN again in both boxes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <source>Your progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress toward your credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose your profile to see your progress.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pathways (stacked credentials)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No installed course offers a credential yet. Ask the technician to install a course pack.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earned — awaiting verification, {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}% done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress toward {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ {0} — held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} — its course is not installed on this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} — {1}% done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lessons done: {0} of {1} · Quizzes passed: {2} of {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About {0} hours left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts toward: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DiskTab</name>
    <message>
        <source>Everything mcdesk keeps on this laptop is in its data folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed packs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database (learners and progress):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database backups:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total used by mcdesk:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free space on this disk:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measure &amp;again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measure the disk use again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LearnersAdmin</name>
    <message>
        <source>Learners on this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Institution id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a learner in the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Institution id of the chosen learner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Student or staff number at the institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save institution id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset PIN…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset the chosen learner&apos;s PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove learner…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the chosen learner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Institution id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technician mode is closed. Open the technician tools again with the passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset the PIN of {0}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Their profile will open without a PIN until they set a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PIN of {0} was removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove learner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove {0} from this laptop?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Their progress, quiz answers and earned credentials on this laptop are deleted too. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} was removed from this laptop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Institution id of {0} saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LessonBrowser</name>
    <message>
        <source>Lesson text</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LessonView</name>
    <message>
        <source>Lesson</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LibraryView</name>
    <message>
        <source>Continue where you stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Course</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Library of installed courses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress in {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credential: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credential: {0} — earned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress toward {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quiz: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n course(s) installed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No course is installed yet. Ask the technician to install a course pack.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Passed ({0}%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best so far: {0}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start learning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} — {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>mcdesk — micro-credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Library of installed courses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Choose a lesson from the library.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the sample courses…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mcdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quiz: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n course(s) installed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OperationProgressDialog</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the operation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PacksTab</name>
    <message>
        <source>Install packs from files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Content packs (*.mcpack)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install packs from a folder or USB stick</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version number {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for packs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No .mcpack files were found in {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking {0} ({1} of {2})…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installing {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Installed %n pack(s): {0}.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Skipped %n.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be installed.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The last step was cancelled; it changed nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove a pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove {0} ({1}) from this laptop?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learners&apos; progress in it is kept, and comes back if the pack is installed again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed {0}. Learners&apos; progress in it is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install packs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Course packs installed on this laptop. Every pack is checked before it is installed; nothing is installed without your decision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publisher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed packs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No packs are installed yet. Install one from a file, or from a folder or USB stick.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install from &amp;files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install from a f&amp;older or USB stick…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected pack</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>PIN for {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}, type your PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>That PIN is not right. Tries left before a lock-out: %n.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>You can try your PIN again now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {0}. A technician can reset a forgotten PIN.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileButton</name>
    <message>
        <source>Protected by a PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No PIN</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfilePicker</name>
    <message>
        <source>Who is learning?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose your name. If your profile has a PIN, you will be asked for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a learner by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody has a profile on this laptop yet. Create one to start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+ New learner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a new learner profile</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgressRun</name>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PublisherNameDialog</name>
    <message>
        <source>Trust a publisher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key in {0} has this id. Before you trust it, check that it is the id the publisher gave you:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publisher&apos;s &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publisher&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trust this key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust this key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReaderView</name>
    <message>
        <source>Choose a lesson in the library.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the link address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the link message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>← Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous lesson or quiz</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A−</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smaller text (Ctrl+Minus)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A+</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Larger text (Ctrl+Plus)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark this lesson complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next →</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next lesson or quiz</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} · {1} · item {2} of {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credential earned: {0}. It shows in your wallet as awaiting verification.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed ✓</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This link goes to {0}. mcdesk never opens web pages: copy the address to open it later on a device with internet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address copied: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchView</name>
    <message>
        <source>Search results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search all lessons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1}): {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n lesson(s) found</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No lesson contains “{0}”. Try fewer or shorter words.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Same as this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These choices are kept with the profile of {0}; other learners keep their own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These choices are this laptop&apos;s defaults; each learner can change them for themselves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language and appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lesson &amp;text size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lesson text size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} pt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lessons will look like this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop (technician)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock after &amp;idle time:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes without use before the app locks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After this many minutes without use, the app goes back to the profile picker so the next person cannot see someone else&apos;s work.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TechnicianDialog</name>
    <message>
        <source>Technician</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking this laptop&apos;s settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technician passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the technician passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop has no technician passphrase yet. Choose one of at least {0} characters: it protects resetting PINs, removing learners and installing packs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the technician passphrase to open the technician tools.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use at least {0} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases are not the same. Type it again in both boxes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>That passphrase is not right. Tries left before a lock-out: %n.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>You can try the passphrase again now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many wrong tries. Try again in {0}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TechnicianPanel</name>
    <message>
        <source>Technician</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technician panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Packs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trusted publishers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disk</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrustTab</name>
    <message>
        <source>Add a publisher&apos;s key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public keys (*.pub.pem *.pem)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>added by a technician</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>local sample publisher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packs signed by {0} can now be installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop trusting a publisher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop trusting {0} (key {1})?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packs already installed from this publisher stay installed. New packs and updates signed with this key will be refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop &amp;trusting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop trusting this key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep trusting this key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is no longer trusted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packs are installed only when they are signed with one of these keys. Add a key only when you know it comes from the publisher.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publisher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Origin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trusted publisher keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No publisher keys are trusted yet, so no pack can be installed. Add the key of each publisher whose packs you use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add key from file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a publisher key from a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VerifyReportDialog</name>
    <message>
        <source>Archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manifest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compatibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check before installing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pack {0} of {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pack id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} (version number {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publisher:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a key that is not trusted here ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), {0}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the installed version on purpose (roll back or reinstall)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install this pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip this pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip &amp;the rest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip this pack and the rest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every check passed. Installing updates version {0} to {1}; learners&apos; progress is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every check passed. This pack can be installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every other check passed, but version {0} is already installed. Reinstall it only on purpose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every other check passed, but this is version {0}, older than the installed version {1}. Install it only to roll back on purpose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Do not install this pack: %n check(s) failed.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>If you trust its publisher, add their key under Trusted publishers and try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WalletView</name>
    <message>
        <source>Your wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credentials you have earned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose your profile to see your wallet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No credentials yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each course in the library offers a credential. Complete every lesson of the course and pass its quizzes: the credential appears here at once, marked “Earned — awaiting verification” until your institution confirms it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credentials that stack into a larger one (a pathway) bring you closer to it; the dashboard shows how far along you are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earned — awaiting verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued by your institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked by your institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earned on {0} · Score {1}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earned on {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skills: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part of {0}, which you have earned too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts toward {0}: {1} of {2} credentials held.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts toward {0}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
